package dev.sedge.bases;

import dev.sedge.api.task.InputDomain;
import java.util.function.IntBinaryOperator;

/** The input domains of the modular tasks, built here for the basis tests: every pair (a, b) over Z_p. */
final class ModularDomains {

    private ModularDomains() {
    }

    /** Every pair (a, b) over Z_p, with coordinates a, b and y = {@code output}(a, b) mod p. */
    static InputDomain of(int p, IntBinaryOperator output) {
        int n = p * p;
        int[] a = new int[n];
        int[] b = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i / p;
            b[i] = i % p;
            y[i] = Math.floorMod(output.applyAsInt(a[i], b[i]), p);
        }
        return InputDomain.builder(n).coordinate("a", p, a).coordinate("b", p, b).coordinate("y", p, y).build();
    }
}
