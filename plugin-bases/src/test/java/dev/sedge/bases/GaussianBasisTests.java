package dev.sedge.bases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import dev.sedge.testkit.BasisContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The x² + y² bases, {@code gaussian} and {@code angular}. */
class GaussianBasisTests {

    private static final int P = 97;
    private static final int G = 5;
    private static final int I = 22;
    private final GaussianBasis gaussian = new GaussianBasis();
    private final AngularBasis angular = new AngularBasis();

    /** Every pair (a, b) over Z_p with y = a² + b² mod p. */
    private static InputDomain squares(int p) {
        return ModularDomains.of(p, (a, b) -> a * a + b * b);
    }

    private static Basis basis(FunctionalBasis plugin, InputDomain domain) {
        return plugin.create(PluginConfig.defaults("basis." + plugin.name(), plugin.descriptor()), domain)
                .orElseThrow();
    }

    /** log_g x by brute force, independent of the bases' tables. */
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

    /** A function of (u, v) = (log(a + 22b), log(a − 22b)) mod 97; {@code leftOut} where a factor is 0. */
    private static double[] function(InputDomain domain, double leftOut, LogFunction f) {
        double[] values = new double[domain.size()];
        for (int k = 0; k < values.length; k++) {
            int a = domain.value("a", k);
            int b = domain.value("b", k);
            int plus = (a + I * b) % P;
            int minus = Math.floorMod(a - I * b, P);
            values[k] = plus == 0 || minus == 0 ? leftOut : f.apply(log(G, plus, P), log(G, minus, P), a, b);
        }
        return values;
    }

    /** A function of the logs u, v of the factors of a pair (a, b). */
    private interface LogFunction {
        double apply(int u, int v, int a, int b);
    }

    @Test
    void passesTheBasisContract() {
        BasisContract.check(gaussian, PluginConfig.defaults("basis.gaussian", gaussian.descriptor()), squares(13));
        BasisContract.check(angular, PluginConfig.defaults("basis.angular", angular.descriptor()), squares(13));
    }

    @Test
    void appliesOnlyToAPrimeThatIsOneModFour() {
        InputDomain noB = InputDomain.builder(3).coordinate("a", 13, new int[] {0, 1, 2}).build();
        InputDomain twoModuli = InputDomain.builder(3).coordinate("a", 13, new int[] {0, 1, 2})
                .coordinate("b", 17, new int[] {0, 1, 16}).build();
        for (FunctionalBasis plugin : List.of(gaussian, angular)) {
            PluginConfig defaults = PluginConfig.defaults("basis." + plugin.name(), plugin.descriptor());
            assertTrue(plugin.create(defaults, squares(7)).isEmpty(), plugin.name() + ": 7 ≡ 3 (mod 4)");
            assertTrue(plugin.create(defaults, squares(21)).isEmpty(), plugin.name() + ": 21 ≡ 1 (mod 4), not prime");
            assertTrue(plugin.create(defaults, noB).isEmpty(), plugin.name());
            assertTrue(plugin.create(defaults, twoModuli).isEmpty(), plugin.name());
            assertTrue(plugin.create(defaults, squares(13)).isPresent(), plugin.name());
            assertTrue(plugin.create(defaults, squares(P)).isPresent(), plugin.name());
        }
        assertEquals((12 * 12 + 2) / 2, basis(gaussian, squares(13)).project(new double[169]).size());
        assertEquals(6, basis(angular, squares(13)).project(new double[169]).size());
    }

    @Test
    void namesItsPrimeRootAndSquareRootOfMinusOne() {
        assertEquals(P - 1, I * I % P, "22² ≡ −1 (mod 97)");
        String gaussianLabel = basis(gaussian, squares(P)).label();
        String angularLabel = basis(angular, squares(P)).label();
        for (String label : List.of(gaussianLabel, angularLabel)) {
            assertTrue(label.contains("p = 97") && label.contains("g = 5") && label.contains("i_p = 22"), label);
        }
        assertTrue(basis(gaussian, squares(13)).label().contains("g = 2, i_p = 5"), "5² = 25 ≡ −1 (mod 13)");
        for (int p : new int[] {5, 17, 29, 37, 41, 53, 61, 73, 89, 101, 109, 113}) {
            String label = basis(angular, squares(p)).label();
            int i = Integer.parseInt(label.substring(label.indexOf("i_p = ") + 6, label.lastIndexOf(')')));
            assertEquals(p - 1, i * i % p, label + ": i_p² ≡ −1");
            assertTrue(2 * i < p, label + ": the smaller of i_p and p − i_p");
        }
    }

    @Test
    void findsAPlantedModeOfTheAngle() {
        InputDomain domain = squares(P);
        double[] f = function(domain, 7, (u, v, a, b) -> 1 + Math.cos(2 * Math.PI * 3 * (u - v) / (P - 1)));
        ModeSpectrum overAngle = basis(angular, domain).project(f);
        Basis twoD = basis(gaussian, domain);
        ModeSpectrum overBoth = twoD.project(f);
        Map<String, Double> shares = twoD.shares(overBoth);

        assertEquals("ω=3", overAngle.labels().get(overAngle.peak()));
        assertEquals(1.0, overAngle.concentration(), 1e-9);
        assertEquals(48, overAngle.size());
        assertEquals(List.of("norm", "angle", "mixed"), new ArrayList<>(shares.keySet()));
        assertEquals(1.0, shares.get("angle"), 1e-9, shares.toString());
        assertEquals("(u,v)=(3,93)", overBoth.labels().get(overBoth.peak()));
        assertEquals(1.0, overBoth.concentration(), 1e-9);
    }

    @Test
    void findsAFunctionOfTheOutputsLogarithmInTheNorm() {
        InputDomain domain = squares(P);
        double[] f = function(domain, 7, (u, v, a, b) -> {
            int q = log(G, (a * a + b * b) % P, P);
            return Math.cos(2 * Math.PI * 7 * q / (P - 1)) + 0.5 * Math.sin(2 * Math.PI * 30 * q / (P - 1));
        });
        Basis twoD = basis(gaussian, domain);
        ModeSpectrum spectrum = twoD.project(f);
        Map<String, Double> shares = twoD.shares(spectrum);

        assertEquals(1.0, shares.get("norm"), 1e-9, shares.toString());
        assertEquals("(u,v)=(7,7)", spectrum.labels().get(spectrum.peak()));
        assertEquals(0.8, spectrum.concentration(), 1e-9, "amplitudes 1 and 0.5");
        double onAngle = basis(angular, domain).project(f).energy();
        assertTrue(onAngle < 1e-20 * spectrum.energy(), "the angle forgets the norm: " + onAngle);
    }

    @Test
    void leavesOutThePairsWithoutLogarithms() {
        InputDomain domain = squares(P);
        LogFunction f = (u, v, a, b) -> Math.sin(u * 0.37) * Math.cos(v * 1.3) + u;
        for (FunctionalBasis plugin : List.of(gaussian, angular)) {
            Basis basis = basis(plugin, domain);
            assertEquals(basis.project(function(domain, 0, f)), basis.project(function(domain, 1e6, f)), plugin.name());
        }
    }
}
