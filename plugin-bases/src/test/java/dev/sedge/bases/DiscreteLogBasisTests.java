package dev.sedge.bases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import dev.sedge.testkit.BasisContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscreteLogBasisTests {

    private static final int P = 97;
    private final DiscreteLogBasis dlog = new DiscreteLogBasis();
    private final FourierBasis fourier = new FourierBasis();

    /** Every pair (a, b) over Z_p with y = ab mod p. */
    private static InputDomain multiplicative(int p) {
        return ModularDomains.of(p, (a, b) -> a * b);
    }

    private Basis basis(InputDomain domain, String coordinates) {
        return dlog.create(PluginConfig.of("basis.dlog", dlog.descriptor(), Map.of("coordinates", coordinates)), domain)
                .orElseThrow();
    }

    /** log_g x by brute force, independent of the basis's own table. */
    private static int log(int g, int x, int p) {
        long power = 1;
        for (int k = 0; k < p - 1; k++) {
            if (power == x) {
                return k;
            }
            power = power * g % p;
        }
        throw new AssertionError(x + " is no power of " + g + " mod " + p);
    }

    @Test
    void passesTheBasisContract() {
        BasisContract.check(dlog, PluginConfig.defaults("basis.dlog", dlog.descriptor()), multiplicative(11));
    }

    @Test
    void takesTheSmallestPrimitiveRoot() {
        assertTrue(basis(multiplicative(P), "a,b").label().contains("g = 5"));
        assertTrue(basis(multiplicative(71), "a,b").label().contains("g = 7"));
    }

    @Test
    void findsAPlantedModeOfTheProductsLogarithmWhereTheRawOutputBasisSpreadsIt() {
        InputDomain domain = multiplicative(P);
        double[] f = new double[domain.size()];
        for (int i = 0; i < f.length; i++) {
            int a = domain.value("a", i);
            int b = domain.value("b", i);
            // a function of ab alone, one mode ω = 29 over its logarithm; zero pairs get an arbitrary value
            f[i] = a == 0 || b == 0 ? 7 : Math.cos(2 * Math.PI * 29 * (log(5, a, P) + log(5, b, P)) / (P - 1));
        }
        ModeSpectrum overLogs = basis(domain, "a,b").project(f);
        ModeSpectrum overOutputLog = basis(domain, "y").project(f);
        ModeSpectrum raw = fourier.create(PluginConfig.defaults("basis.fourier", fourier.descriptor()), domain)
                .orElseThrow().project(f);

        assertEquals("ω=29", overLogs.labels().get(overLogs.peak()));
        assertEquals(1.0, overLogs.concentration(), 1e-9, "zero pairs are left out");
        assertEquals(48, overLogs.size());
        assertEquals(1.0, overOutputLog.concentration(), 1e-9, "dlog y = dlog a + dlog b (mod p − 1)");
        assertTrue(raw.concentration() < 0.2, "the raw output basis spreads it: F = " + raw.concentration());
    }

    @Test
    void doesNotApplyWithoutAPrimeModulusOrItsCoordinates() {
        assertFalse(dlog.create(PluginConfig.defaults("basis.dlog", dlog.descriptor()), multiplicative(12)).isPresent(),
                "Z_12^× is not cyclic");
        InputDomain noB = InputDomain.builder(3).coordinate("a", 5, new int[] {0, 1, 2}).build();
        assertFalse(dlog.create(PluginConfig.defaults("basis.dlog", dlog.descriptor()), noB).isPresent());
    }
}
