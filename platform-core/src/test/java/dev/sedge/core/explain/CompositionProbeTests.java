package dev.sedge.core.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.basis.Residues;
import dev.sedge.api.task.InputDomain;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The composition probe on planted changes over (a, b) mod 31: an additive change is fitted by the
 * additive characters, a multiplicative one by the multiplicative, a product of the two only once the
 * cross-terms are in; and every R² equals an explicit ridge fit's, predictions formed and residuals
 * summed.
 */
class CompositionProbeTests {

    private static final int P = 31;

    private static InputDomain domain() {
        int[] a = new int[P * P];
        int[] b = new int[P * P];
        int[] y = new int[P * P];
        for (int i = 0; i < P * P; i++) {
            a[i] = i / P;
            b[i] = i % P;
            y[i] = (a[i] * a[i] + b[i] * b[i]) % P;
        }
        return InputDomain.builder(P * P).coordinate("a", P, a).coordinate("b", P, b).coordinate("y", P, y).build();
    }

    /** Δh with two columns: a planted function of the input, and small noise. */
    private static double[][] change(java.util.function.IntToDoubleFunction planted) {
        SplittableRandom random = new SplittableRandom(3);
        double[][] change = new double[P * P][2];
        for (int i = 0; i < change.length; i++) {
            change[i][0] = planted.applyAsDouble(i);
            change[i][1] = 0.01 * random.nextGaussian();
        }
        return change;
    }

    private static double additive(int i, int w) {
        return Math.cos(2 * Math.PI * w * ((i / P + i % P) % P) / P);
    }

    private static double multiplicative(int i, int w) {
        int[] log = Residues.discreteLogs(P, Residues.smallestPrimitiveRoot(P));
        int a = i / P;
        int b = i % P;
        return a == 0 || b == 0 ? 0 : Math.cos(2 * Math.PI * w * ((log[a] + log[b]) % (P - 1)) / (P - 1));
    }

    @Test
    void anAdditiveChangeIsFittedByTheAdditiveCharactersAlone() {
        CompositionProbe probe = CompositionProbe.features(domain()).orElseThrow().fit(change(i -> additive(i, 4)));

        assertTrue(probe.additive() > 0.95, probe.toString());
        assertTrue(probe.multiplicative() < 0.1, probe.toString());
    }

    @Test
    void aMultiplicativeChangeIsFittedByTheMultiplicativeCharacters() {
        CompositionProbe probe = CompositionProbe.features(domain()).orElseThrow()
                .fit(change(i -> multiplicative(i, 2)));

        assertTrue(probe.multiplicative() > 0.95, probe.toString());
        assertTrue(probe.additive() < 0.1, probe.toString());
    }

    @Test
    void aProductOfTheTwoIsFittedOnlyWithTheCrossTerms() {
        CompositionProbe probe = CompositionProbe.features(domain()).orElseThrow()
                .fit(change(i -> additive(i, 1) * multiplicative(i, 1)));

        assertTrue(probe.combined() < 0.2, probe.toString());
        assertTrue(probe.crossTerms() > 0.9, probe.toString());
        assertEquals(probe.crossTerms() - probe.combined(), probe.synergy(), 1e-15);
        assertTrue(probe.synergy() > 0.7, probe.toString());
    }

    @Test
    void eachR2IsAnExplicitRidgeFitsWithPredictionsFormed() {
        SplittableRandom random = new SplittableRandom(11);
        double[][] change = change(i -> additive(i, 2) + 0.5 * multiplicative(i, 3) + random.nextGaussian());
        CompositionProbe probe = CompositionProbe.features(domain()).orElseThrow().fit(change);

        // the same design, built here: rows with a, b != 0; additive cos/sin for w = 1..15 first
        int rows = (P - 1) * (P - 1);
        double[][] x = new double[rows][2 * (P / 2)];
        double[][] y = new double[rows][2];
        int r = 0;
        for (int i = 0; i < P * P; i++) {
            if (i / P == 0 || i % P == 0) {
                continue;
            }
            for (int w = 1; w <= P / 2; w++) {
                double angle = 2 * Math.PI * w * ((i / P + i % P) % P) / P;
                x[r][2 * w - 2] = Math.cos(angle);
                x[r][2 * w - 1] = Math.sin(angle);
            }
            y[r] = change[i].clone();
            r++;
        }
        assertEquals(ridgeR2(x, y, 1.0), probe.additive(), 1e-9);
    }

    /** R² of ridge regression with centered columns: β solved by Gaussian elimination, Ŷ formed. */
    private static double ridgeR2(double[][] x, double[][] y, double alpha) {
        int n = x.length;
        int m = x[0].length;
        int d = y[0].length;
        center(x);
        center(y);
        double[][] a = new double[m][m + d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int t = 0; t < n; t++) {
                    a[i][j] += x[t][i] * x[t][j];
                }
            }
            a[i][i] += alpha;
            for (int j = 0; j < d; j++) {
                for (int t = 0; t < n; t++) {
                    a[i][m + j] += x[t][i] * y[t][j];
                }
            }
        }
        for (int c = 0; c < m; c++) {
            for (int row = c + 1; row < m; row++) {
                double f = a[row][c] / a[c][c];
                for (int j = c; j < m + d; j++) {
                    a[row][j] -= f * a[c][j];
                }
            }
        }
        double[][] beta = new double[m][d];
        for (int c = m - 1; c >= 0; c--) {
            for (int j = 0; j < d; j++) {
                double v = a[c][m + j];
                for (int k = c + 1; k < m; k++) {
                    v -= a[c][k] * beta[k][j];
                }
                beta[c][j] = v / a[c][c];
            }
        }
        double residual = 0;
        double total = 0;
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                double fit = 0;
                for (int k = 0; k < m; k++) {
                    fit += x[t][k] * beta[k][j];
                }
                residual += (y[t][j] - fit) * (y[t][j] - fit);
                total += y[t][j] * y[t][j];
            }
        }
        return 1 - residual / total;
    }

    private static void center(double[][] m) {
        for (int j = 0; j < m[0].length; j++) {
            double mean = 0;
            for (double[] row : m) {
                mean += row[j];
            }
            mean /= m.length;
            for (double[] row : m) {
                row[j] -= mean;
            }
        }
    }

    @Test
    void appliesOnlyToAPrimeModulusOverAAndB() {
        int[] zeros = new int[4];
        assertTrue(CompositionProbe.features(InputDomain.builder(4).coordinate("a", 4, zeros)
                .coordinate("b", 4, zeros).build()).isEmpty(), "4 is not prime");
        assertTrue(CompositionProbe.features(InputDomain.builder(4).coordinate("y", 13, zeros).build()).isEmpty(),
                "no (a, b)");
    }
}
