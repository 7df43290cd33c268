package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.NumericException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JlSketchTests {

    @Test
    void sameSeedGivesTheSameProjectionAndAnotherSeedAnother() {
        float[] x = PlantedSpectrum.gaussianRows(1, 10_001, 3)[0];
        assertArrayEquals(new JlSketch(50, 7).apply(x, 1), new JlSketch(50, 7).apply(x, 2));
        assertFalse(Arrays.equals(new JlSketch(50, 7).apply(x, 1), new JlSketch(50, 8).apply(x, 1)));
    }

    @Test
    void applyComputesPhiTimesXEntryByEntry() {
        JlSketch sketch = new JlSketch(20, 99);
        float[] x = PlantedSpectrum.gaussianRows(1, 5_003, 5)[0];
        float[] y = sketch.apply(x, 1);
        for (int i = 0; i < 20; i++) {
            double expected = 0;
            double scale = 0;
            for (int j = 0; j < x.length; j++) {
                expected += (double) sketch.entry(i, j) * x[j];
                scale += Math.abs((double) sketch.entry(i, j) * x[j]);
            }
            assertEquals(expected, y[i], 1e-6 * scale, "y_" + i);
        }
    }

    @Test
    void entriesHaveMeanZeroAndVarianceOneOverD() {
        int d = 64;
        JlSketch sketch = new JlSketch(d, 1);
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (int i = 0; i < d; i++) {
            for (long j = 0; j < 20_000; j++) {
                double e = sketch.entry(i, j);
                sum += e;
                sum2 += e * e;
                n++;
            }
        }
        double sd = Math.sqrt(1.0 / d);
        assertEquals(0.0, sum / n, 5 * sd / Math.sqrt(n), "mean (5 standard errors)");
        assertEquals(1.0 / d, sum2 / n, 5 * Math.sqrt(2.0 / n) / d, "variance (5 standard errors)");
    }

    /**
     * The bounds come from 100 seeds of benchmarks/spectral/SketchError.java at the same shape
     * (docs/benchmarks.md): gap error median 0.08, max 0.29; top-half sigma error median 0.09, max 0.20
     * (Gaussian; the SRHT 0.08, 0.28, 0.09, 0.21). Both transforms are held to the same bounds.
     */
    @ParameterizedTest
    @EnumSource(SketchTransform.class)
    void sketchOfDimensionTenWKeepsAPlantedGapAndItsPosition(SketchTransform transform) {
        int w = 10;
        int p = 50_000;
        double[] s = new double[w];
        s[0] = 20;
        s[1] = 18;
        for (int j = 2; j < w; j++) {
            s[j] = 6 * Math.pow(0.93, j - 2);
        }
        float[][] rows = new PlantedSpectrum(w, p, s, 3).rows;
        double[] gapErrors = new double[20];
        for (int seed = 1; seed <= 20; seed++) {
            SpectralEngine engine = new SpectralEngine(
                    SpectralOptions.of(w).withSketchTransform(transform).withDefaultSketch(seed), p);
            WindowSpectrum sk = null;
            for (int i = 0; i < w; i++) {
                sk = engine.accept(i, rows[i]).orElse(sk);
            }
            assertTrue(sk.sketched());
            assertEquals(100, sk.dimension());
            assertEquals(2, sk.kstar(), "k* with seed " + seed);
            gapErrors[seed - 1] = Math.abs(sk.ratio(2) / 3.0 - 1);
            assertTrue(gapErrors[seed - 1] <= 0.35, "gap error " + gapErrors[seed - 1] + " with seed " + seed);
            for (int j = 1; j <= w / 2; j++) {
                double err = Math.abs(sk.sigma(j) / s[j - 1] - 1);
                assertTrue(err <= 0.25, "sigma_" + j + " error " + err + " with seed " + seed);
            }
        }
        Arrays.sort(gapErrors);
        assertTrue(gapErrors[10] <= 0.12, "median gap error " + gapErrors[10]);
    }

    @ParameterizedTest
    @EnumSource(SketchTransform.class)
    void sketchedEngineRejectsNanNamingTheParameterIndex(SketchTransform transform) {
        float[] x = new float[3_000];
        x[2_500] = Float.NaN;
        SpectralEngine engine = new SpectralEngine(
                SpectralOptions.of(3).withSketch(30, 1, transform), 3_000);
        NumericException e = assertThrows(NumericException.class, () -> engine.accept(42, x));
        assertTrue(e.getMessage().contains("index 2500") && e.getMessage().contains("step 42"), e.getMessage());
    }

    @Test
    void rejectsASketchSmallerThanTheWindow() {
        assertThrows(IllegalArgumentException.class, () -> SpectralOptions.of(20).withSketch(10, 1));
        assertThrows(IllegalArgumentException.class, () -> new JlSketch(0, 1));
    }
}
