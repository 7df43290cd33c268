package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SrhtSketchTests {

    /** Small integers: every sum the transforms form is exact in float, so they must agree exactly. */
    @Test
    void walshHadamardEqualsTheNaiveTransformExactly() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 1; n <= 2048; n *= 2) {
            float[] x = new float[n];
            for (int j = 0; j < n; j++) {
                x[j] = random.nextInt(-8, 9);
            }
            float[] expected = new float[n];
            for (int r = 0; r < n; r++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += hadamard(r, j) * x[j];
                }
                expected[r] = (float) sum;
            }
            float[] actual = x.clone();
            SrhtSketch.walshHadamard(actual);
            assertArrayEquals(expected, actual, "n = " + n);
        }
    }

    /** The vectorised transform does the textbook radix-2 float operations, so it gives their bits for any data. */
    @Test
    void walshHadamardGivesTheBitsOfTheTextbookFloatTransform() {
        for (int n = 1; n <= 1 << 14; n *= 2) {
            float[] x = PlantedSpectrum.gaussianRows(1, n, n)[0];
            float[] expected = x.clone();
            for (int h = 1; h < n; h <<= 1) {
                for (int i = 0; i < n; i += 2 * h) {
                    for (int k = i; k < i + h; k++) {
                        float u = expected[k];
                        float v = expected[k + h];
                        expected[k] = u + v;
                        expected[k + h] = u - v;
                    }
                }
            }
            SrhtSketch.walshHadamard(x);
            assertArrayEquals(expected, x, "n = " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> SrhtSketch.walshHadamard(new float[12]));
    }

    /**
     * y_i = (1/√d) Σ_j H[r_i, j] D_jj x_j, exactly for integer data (every partial sum is exact), for
     * lengths below a vector, inside one block, over several blocks and segments, never a power of two,
     * and shorter than d (then padded to d).
     */
    @Test
    void applyIsTheScaledSampledRowsOfTheSignedHadamardTransform() {
        SplittableRandom random = new SplittableRandom(2);
        int d = 24;
        for (int p : new int[] {1, 3, 17, 1_000, 4_097, 9_000, 70_003}) {
            SrhtSketch sketch = new SrhtSketch(d, p);
            float[] x = new float[p];
            for (int j = 0; j < p; j++) {
                x[j] = random.nextInt(-4, 5);
            }
            long[] rows = sketch.rows(p);
            float[] y = sketch.apply(x, 2);
            for (int i = 0; i < d; i++) {
                double sum = 0;
                for (int j = 0; j < p; j++) {
                    sum += hadamard(rows[i], j) * sketch.sign(j) * x[j];
                }
                assertEquals((float) (sum * (1 / Math.sqrt(d))), y[i], "y_" + i + " at p = " + p);
            }
        }
    }

    @Test
    void applyOnGaussianDataMatchesTheDoubleTransform() {
        int d = 20;
        int p = 12_345;
        SrhtSketch sketch = new SrhtSketch(d, 99);
        float[] x = PlantedSpectrum.gaussianRows(1, p, 5)[0];
        long[] rows = sketch.rows(p);
        float[] y = sketch.apply(x, 1);
        double norm = 0;
        for (float v : x) {
            norm += (double) v * v;
        }
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int j = 0; j < p; j++) {
                sum += hadamard(rows[i], j) * sketch.sign(j) * x[j];
            }
            assertEquals(sum / Math.sqrt(d), y[i], 1e-6 * Math.sqrt(norm), "y_" + i);
        }
    }

    @Test
    void rowsAreDistinctAndInsideThePaddedLength() {
        SrhtSketch sketch = new SrhtSketch(200, 3);
        assertEquals(1L << 24, sketch.paddedLength(10_000_000));
        assertEquals(256, sketch.paddedLength(5)); // padded to d = 200 at least
        assertEquals(1L << 31, sketch.paddedLength(Integer.MAX_VALUE));
        for (int p : new int[] {5, 200, 1_000, 10_000_000}) {
            long[] rows = sketch.rows(p);
            assertEquals(200, rows.length);
            for (int i = 0; i < rows.length; i++) {
                assertTrue(rows[i] >= 0 && rows[i] < sketch.paddedLength(p), "row " + rows[i] + " at p = " + p);
                assertTrue(i == 0 || rows[i] > rows[i - 1], "rows ascending and distinct at p = " + p);
            }
        }
        assertEquals(1, new SrhtSketch(1, 1).paddedLength(1));
        assertArrayEquals(new long[] {0}, new SrhtSketch(1, 1).rows(1));
    }

    @Test
    void signsAreBalanced() {
        SrhtSketch sketch = new SrhtSketch(10, 4);
        int n = 200_000;
        double sum = 0;
        for (long j = 0; j < n; j++) {
            sum += sketch.sign(j);
        }
        assertEquals(0.0, sum / n, 5 / Math.sqrt(n), "mean sign (5 standard errors)");
    }

    @Test
    void sameSeedGivesTheSameBitsWhateverTheThreadsAndAnotherSeedAnother() {
        float[] x = PlantedSpectrum.gaussianRows(1, 100_003, 3)[0];
        float[] one = new SrhtSketch(50, 7).apply(x, 1);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, new SrhtSketch(50, 7).apply(x, threads), threads + " threads");
        }
        SrhtSketch reused = new SrhtSketch(50, 7);
        reused.apply(new float[77], 1); // another length first: the plan is per length
        assertArrayEquals(one, reused.apply(x, 2));
        assertFalse(Arrays.equals(one, new SrhtSketch(50, 8).apply(x, 1)));
    }

    /** A spike e_j meets every row of H·D with weight ±1: ‖y‖ = ‖x‖ for every seed, the worst case of a sparse x. */
    @Test
    void keepsTheNormOfASpikeExactly() {
        int d = 64;
        for (int seed = 1; seed <= 20; seed++) {
            float[] x = new float[30_000];
            x[seed * 997] = 3;
            float[] y = new SrhtSketch(d, seed).apply(x, 1);
            assertEquals(9.0, squaredNorm(y), 1e-5, "seed " + seed);
        }
    }

    /** E‖y‖² = ‖x‖²: the mean over 300 seeds within 5 standard errors (σ ≤ √(2/d) per seed). */
    @Test
    void keepsTheNormInExpectation() {
        int d = 64;
        int seeds = 300;
        float[] x = PlantedSpectrum.gaussianRows(1, 5_000, 11)[0];
        double norm = squaredNorm(x);
        double sum = 0;
        double max = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            double ratio = squaredNorm(new SrhtSketch(d, seed).apply(x, 1)) / norm;
            sum += ratio;
            max = Math.max(max, Math.abs(ratio - 1));
        }
        assertEquals(1.0, sum / seeds, 5 * Math.sqrt(2.0 / d / seeds), "mean of |y|^2/|x|^2");
        assertTrue(max <= 6 * Math.sqrt(2.0 / d), "a seed off by " + max);
    }

    @Test
    void optionsChooseTheTransformAndRefuseNone() {
        SpectralOptions options = SpectralOptions.of(5).withSketch(50, 9);
        assertSame(SketchTransform.DEFAULT, options.sketchTransform());
        assertSame(SketchTransform.GAUSSIAN, options.withSketchTransform(SketchTransform.GAUSSIAN).sketchTransform());
        assertEquals(50, options.withSketchTransform(SketchTransform.GAUSSIAN).sketchDimension());
        assertSame(SketchTransform.GAUSSIAN,
                options.withSketch(60, 1, SketchTransform.GAUSSIAN).withSketch(70, 2).sketchTransform());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpectralOptions(5, 1, false, 1, 50, 9, null));
        assertTrue(e.getMessage().contains("sketch transform"), e.getMessage());
        assertSame(SketchTransform.SRHT, SketchTransform.parse("SRHT"));
        assertSame(SketchTransform.GAUSSIAN, SketchTransform.parse("gaussian"));
        e = assertThrows(IllegalArgumentException.class, () -> SketchTransform.parse("fourier"));
        assertTrue(e.getMessage().contains("gaussian, srht"), e.getMessage());
        assertTrue(SketchTransform.SRHT.sketch(8, 1) instanceof SrhtSketch);
        assertTrue(SketchTransform.GAUSSIAN.sketch(8, 1) instanceof JlSketch);
        assertThrows(IllegalArgumentException.class, () -> new SrhtSketch(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SrhtSketch(4, 1).paddedLength(0));
    }

    /** H[r, j] = (−1)^popcount(r ∧ j). */
    private static double hadamard(long r, long j) {
        return (Long.bitCount(r & j) & 1) == 0 ? 1 : -1;
    }

    private static double squaredNorm(float[] v) {
        double s = 0;
        for (float e : v) {
            s += (double) e * e;
        }
        return s;
    }
}
