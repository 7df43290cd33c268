package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GramKernelTests {

    private static double exactDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void floatBlocksAccumulatedInDoubleStayWithinOneInTenMillionOfAllDouble() {
        int p = 1_000_003;
        float[][] rows = PlantedSpectrum.gaussianRows(6, p, 7);
        for (float[] row : rows) { // a common offset makes the sums long and one-signed
            for (int c = 0; c < p; c++) {
                row[c] += 1.0f;
            }
        }
        float[] x = rows[5];
        double[] out = new double[6];
        GramKernel.dotsAndCopy(x, rows, 5, null, out, 1);
        for (int r = 0; r <= 5; r++) {
            double exact = exactDot(x, rows[r]);
            double scale = Math.sqrt(exactDot(x, x) * exactDot(rows[r], rows[r]));
            assertTrue(Math.abs(out[r] - exact) <= 1e-7 * scale, "row " + r + ": relative error "
                    + Math.abs(out[r] - exact) / scale);
        }
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(ints = {1, 7, 9, 2_047, 2_049, 262_145})
    void handlesLengthsThatAreNotMultiplesOfVectorBlockOrSegmentAndCopiesTheUpdate(int p) {
        float[][] rows = PlantedSpectrum.gaussianRows(4, p, p);
        float[] target = new float[p];
        double[] out = new double[4];
        GramKernel.dotsAndCopy(rows[3], rows, 3, target, out, 2);
        assertArrayEquals(rows[3], target);
        for (int r = 0; r < 4; r++) {
            double exact = exactDot(rows[3], rows[r]);
            assertEquals(exact, out[r], 1e-6 * Math.sqrt(exactDot(rows[3], rows[3]) * exactDot(rows[r], rows[r])));
        }
    }

    @Test
    void givesBitIdenticalSumsForOneOrTwoThreads() {
        int p = 800_000;
        float[][] rows = PlantedSpectrum.gaussianRows(9, p, 1);
        double[] one = new double[9];
        double[] two = new double[9];
        GramKernel.dotsAndCopy(rows[8], rows, 8, null, one, 1);
        GramKernel.dotsAndCopy(rows[8], rows, 8, null, two, 2);
        assertArrayEquals(one, two, 0.0);
    }
}
