package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The checks every {@link FunctionalBasis} passes. Failures are {@link AssertionError}s. */
public final class BasisContract {

    private BasisContract() {
    }

    /**
     * Checks the plugin contract and, on a domain the basis applies to: powers are normalised,
     * projection does not modify its input and is deterministic, and a wrong-length function is
     * refused with {@link IllegalArgumentException}.
     *
     * @param domain a domain the basis must apply to
     * @return the basis made for {@code domain}
     */
    public static Basis check(FunctionalBasis basis, PluginConfig config, InputDomain domain) {
        PluginContract.check(basis);
        String name = basis.name();
        Basis made = basis.create(config, domain)
                .orElseThrow(() -> new AssertionError(name + ": does not apply to " + domain));
        require(!made.label().isBlank(), name + ": blank label");
        double[] f = new SplittableRandom(7).doubles(domain.size(), -1, 1).toArray();
        double[] copy = f.clone();
        ModeSpectrum spectrum = made.project(f);
        require(Arrays.equals(f, copy), name + ": project() modified its input");
        require(spectrum.equals(made.project(f)), name + ": project() is not deterministic");
        double total = Arrays.stream(spectrum.power()).sum();
        require(Math.abs(total - 1) < 1e-9, name + ": powers sum to " + total + ", not 1");
        try {
            made.project(new double[domain.size() + 1]);
            throw new AssertionError(name + ": a function of the wrong length was accepted");
        } catch (IllegalArgumentException expected) {
            // refused, as it should be
        }
        return made;
    }
}
