package dev.sedge.bases;

import dev.sedge.api.basis.Residues;
import dev.sedge.api.task.InputDomain;
import java.util.List;
import java.util.Optional;

/**
 * The discrete logs of the two factors of a² + b² mod p, for the x² + y² bases. For a prime
 * p ≡ 1 (mod 4), −1 is a square: i_p, the smallest i with i² ≡ −1 (mod p) ({@link Residues}), and
 * a² + b² ≡ (a + i_p b)(a − i_p b). With g the smallest primitive root mod p,
 * u = dlog_g(a + i_p b) and v = dlog_g(a − i_p b) in Z_{p−1}, so u + v = dlog_g(a² + b²) and
 * u − v = dlog_g((a + i_p b)/(a − i_p b)), the angle. (a, b) ↦ (a + i_p b, a − i_p b) is a bijection
 * of Z_p², so the whole domain fills every cell (u, v) once; the 2p − 1 pairs with a² + b² ≡ 0 (a
 * factor is 0) have no logarithm and get u = v = −1, to be left out.
 *
 * @param p the prime modulus of a and b
 * @param g the smallest primitive root mod p
 * @param i i_p
 * @param u dlog_g(a + i_p b) per input, or −1
 * @param v dlog_g(a − i_p b) per input, or −1
 */
record GaussianLogs(int p, int g, int i, int[] u, int[] v) {

    /**
     * The logs over the domain's coordinates a and b, or empty when the domain lacks them, their
     * moduli differ, or the modulus is not a prime ≡ 1 (mod 4) (then −1 is no square, and
     * a² + b² does not factor).
     */
    static Optional<GaussianLogs> of(InputDomain domain) {
        int p = domain.sharedModulus(List.of("a", "b")).orElse(0);
        if (p % 4 != 1 || !Residues.isPrime(p)) {
            return Optional.empty();
        }
        int g = Residues.smallestPrimitiveRoot(p);
        int i = Residues.sqrtMinusOne(p);
        int[] log = Residues.discreteLogs(p, g);
        int[] u = new int[domain.size()];
        int[] v = new int[domain.size()];
        for (int k = 0; k < u.length; k++) {
            long a = domain.value("a", k);
            long ib = (long) i * domain.value("b", k) % p;
            int plus = (int) ((a + ib) % p);
            int minus = (int) ((a - ib + p) % p);
            boolean left = plus == 0 || minus == 0;
            u[k] = left ? -1 : log[plus];
            v[k] = left ? -1 : log[minus];
        }
        return Optional.of(new GaussianLogs(p, g, i, u, v));
    }

    /** dlog(a + i_p b), with i_p written out: {@code dlog(a + 22b)}. */
    String plus() {
        return "dlog(a + " + i + "b)";
    }

    /** dlog(a − i_p b), likewise. */
    String minus() {
        return "dlog(a − " + i + "b)";
    }

    /** For labels: {@code mod 96, p = 97, g = 5, i_p = 22}. */
    String constants() {
        return "mod " + (p - 1) + ", p = " + p + ", g = " + g + ", i_p = " + i;
    }
}
