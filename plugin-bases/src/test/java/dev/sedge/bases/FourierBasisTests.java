package dev.sedge.bases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.NumericException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import dev.sedge.testkit.BasisContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FourierBasisTests {

    private static final int P = 97;
    private final FourierBasis fourier = new FourierBasis();

    /** Every pair (a, b) over Z_p with y = (a + b) mod p. */
    private static InputDomain additive(int p) {
        return ModularDomains.of(p, Integer::sum);
    }

    private Basis basis(String coordinate, InputDomain domain) {
        return fourier.create(PluginConfig.of("basis.fourier", fourier.descriptor(), Map.of("coordinate", coordinate)),
                domain).orElseThrow();
    }

    @Test
    void passesTheBasisContract() {
        BasisContract.check(fourier, PluginConfig.defaults("basis.fourier", fourier.descriptor()), additive(11));
    }

    @Test
    void findsAPlantedModeOfTheOutputExactly() {
        InputDomain domain = additive(P);
        int[] y = domain.values("y");
        double[] f = new double[y.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = 3 + Math.cos(2 * Math.PI * 25 * y[i] / P + 0.4);
        }
        ModeSpectrum spectrum = basis("y", domain).project(f);

        assertEquals("ω=25", spectrum.labels().get(spectrum.peak()));
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        assertEquals(P / 2, spectrum.size());
        assertEquals(2.0 / 96, spectrum.uniformBaseline(), 1e-15);
    }

    @Test
    void splitsPowerBetweenTwoPlantedModesByTheirAmplitudes() {
        InputDomain domain = additive(P);
        int[] y = domain.values("y");
        double[] f = new double[y.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = 2 * Math.sin(2 * Math.PI * 6 * y[i] / P) + Math.cos(2 * Math.PI * 32 * y[i] / P);
        }
        double[] power = basis("y", domain).project(f).power();

        assertEquals(0.8, power[5], 1e-12);
        assertEquals(0.2, power[31], 1e-12);
    }

    @Test
    void seesNothingOfAnInputCoordinateInAFunctionOfTheOutputOnly() {
        InputDomain domain = additive(P);
        int[] y = domain.values("y");
        double[] f = new double[y.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.cos(2 * Math.PI * 25 * y[i] / P);
        }
        double onOutput = basis("y", domain).project(f).energy();
        double onInput = basis("a", domain).project(f).energy();

        assertTrue(onInput < 1e-24 * onOutput, "averaging over a cancels a mode of y: " + onInput + " vs " + onOutput);
    }

    @Test
    void doesNotApplyWithoutItsCoordinate() {
        InputDomain domain = InputDomain.builder(3).coordinate("depth", 4, new int[] {0, 1, 2}).build();
        assertTrue(fourier.create(PluginConfig.defaults("basis.fourier", fourier.descriptor()), domain).isEmpty());
    }

    @Test
    void refusesNaNNamingTheInput() {
        double[] f = new double[P * P];
        f[17] = Double.NaN;
        NumericException e = assertThrows(NumericException.class, () -> basis("y", additive(P)).project(f));
        assertTrue(e.getMessage().contains("input 17"), e.getMessage());
    }

    @Test
    void groupsBySignedSumsOfCoordinatesTakenModP() {
        InputDomain squares = ModularDomains.of(13, (a, b) -> a * a + b * b);
        int[] a = squares.values("a");
        int[] b = squares.values("b");
        double[] sum = new double[a.length];
        double[] difference = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = Math.cos(2 * Math.PI * 4 * ((a[i] + b[i]) % 13) / 13);
            difference[i] = Math.sin(2 * Math.PI * 2 * Math.floorMod(a[i] - b[i], 13) / 13);
        }

        Basis additive = basis("a+b", squares);
        ModeSpectrum spectrum = additive.project(sum);
        assertEquals("fourier over a+b (mod 13)", additive.label());
        assertEquals("ω=4", spectrum.labels().get(spectrum.peak()));
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        assertEquals(1.0, basis(" a - b ", squares).project(difference).concentration(), 1e-12);
        assertTrue(basis("a-b", squares).project(sum).concentration() < 0.5, "a function of a + b is not one of a - b");
    }

    @Test
    void refusesAnExpressionItCannotReadAndSkipsOneOverMissingCoordinates() {
        InputDomain domain = additive(7);
        for (String bad : List.of("a+", "+", "a b", "a*b", "")) {
            assertThrows(ConfigException.class, () -> basis(bad, domain), bad);
        }
        assertTrue(fourier.create(PluginConfig.of("basis.fourier", fourier.descriptor(), Map.of("coordinate", "a+z")),
                domain).isEmpty());
    }
}
