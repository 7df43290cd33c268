package dev.sedge.core.repulsion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevelMetricTests {

    /** FFᵀ of n × K features, in float. */
    private static float[] gram(double[][] f) {
        int n = f.length;
        float[] g = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < f[i].length; k++) {
                    s += f[i][k] * f[j][k];
                }
                g[i * n + j] = (float) s;
            }
        }
        return g;
    }

    /** ρ straight from the definition: S = P⊥G materialised, D built entry by entry, both norms summed. */
    private static double direct(float[] g, int n) {
        double[][] s = new double[n][n];
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (int r = 0; r < n; r++) {
                mean += g[r * n + j];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                s[i][j] = g[i * n + j] - mean;
            }
        }
        double diagonal = 0;
        double off = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    diagonal += s[i][j];
                } else {
                    off += s[i][j];
                }
            }
        }
        double a = diagonal / n;
        double b = off / (n * (n - 1.0));
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = s[i][j] - (i == j ? a : b);
                residual += d * d;
                total += (double) g[i * n + j] * g[i * n + j];
            }
        }
        return Math.sqrt(residual / total);
    }

    @Test
    void equalsTheDefinitionComputedEntryByEntry() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] f = new double[40][25];
        for (double[] row : f) {
            for (int k = 0; k < row.length; k++) {
                row[k] = Math.pow(random.nextGaussian(), 2) + 0.3 * random.nextDouble();
            }
        }
        float[] g = gram(f);
        assertEquals(direct(g, 40), LevelMetric.rho(g, 40, LevelMetric.Reading.CENTERED), 1e-12);
    }

    @Test
    void givesTheSameFromTheFeaturesGramInEitherReading() {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] shape : new int[][] {{60, 9}, {12, 30}}) {
            int n = shape[0];
            int k = shape[1];
            double[][] f = new double[n][k];
            double[] sums = new double[k];
            for (double[] row : f) {
                for (int c = 0; c < k; c++) {
                    row[c] = Math.pow(random.nextGaussian() + (c % 4 == 0 ? 1 : 0), 2);
                    sums[c] += row[c];
                }
            }
            double[][] transposed = new double[k][n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    transposed[c][i] = f[i][c];
                }
            }
            float[] examples = gram(f);
            float[] features = gram(transposed);
            for (LevelMetric.Reading reading : LevelMetric.Reading.values()) {
                double expected = LevelMetric.rho(examples, n, reading);
                assertEquals(expected, LevelMetric.rhoFromFeatures(features, sums, n, reading), 1e-5 * expected,
                        reading + " at n = " + n + ", K = " + k);
                assertTrue(expected > 0.01, "a structured Gram: " + expected);
            }
        }
    }

    @Test
    void isZeroForAGramOfTheFormAIPlusB11AndLargeForAPlantedBlock() {
        int n = 30;
        float[] structureless = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                structureless[i * n + j] = i == j ? 5f : 2f;
            }
        }
        assertEquals(0, LevelMetric.rho(structureless, n, LevelMetric.Reading.CENTERED), 1e-6);
        // two clusters of examples with orthogonal features: a block structure aI + b11ᵀ cannot fit
        double[][] f = new double[n][2];
        for (int i = 0; i < n; i++) {
            f[i][i < n / 2 ? 0 : 1] = 1;
        }
        double blocks = LevelMetric.rho(gram(f), n, LevelMetric.Reading.CENTERED);
        assertTrue(blocks > 0.5, "a two-block Gram is far from aI + b11': " + blocks);
        assertEquals(direct(gram(f), n), blocks, 1e-12);
    }

    @Test
    void rejectsAGramThatIsNotSquare() {
        assertThrows(IllegalArgumentException.class, () -> LevelMetric.rho(new float[6], 2, LevelMetric.Reading.RAW));
        assertThrows(IllegalArgumentException.class, () -> LevelMetric.rho(new float[1], 1, LevelMetric.Reading.RAW));
    }
}
