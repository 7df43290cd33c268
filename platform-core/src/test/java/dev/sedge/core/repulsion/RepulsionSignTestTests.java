package dev.sedge.core.repulsion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RepulsionSignTestTests {

    private static float[] features(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] f = new float[n * k];
        double[] shared = new double[n];
        for (int i = 0; i < n; i++) {
            shared[i] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                // correlated units, so that the most similar pairs are clearly similar
                f[i * k + c] = (float) Math.pow(shared[i] * (c % 3 == 0 ? 1 : 0.2) + random.nextGaussian(), 2);
            }
        }
        return f;
    }

    /**
     * The sign match computed the long way, independently of the class: B = (F̃ᵀF̃ + ηI)⁻¹ and
     * P_η = I − F̃ B F̃ᵀ inverted and multiplied out explicitly in float64, over the given pairs:
     * {sign match, repulsive fraction}.
     */
    private static double[] explicit(float[] f, int n, int k, double eta, List<int[]> pairs) {
        DMatrixRMaj centered = new DMatrixRMaj(n, k);
        for (int c = 0; c < k; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += f[i * k + c];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                centered.set(i, c, f[i * k + c] - mean);
            }
        }
        DMatrixRMaj inner = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransA(centered, centered, inner);
        for (int c = 0; c < k; c++) {
            inner.add(c, c, eta);
        }
        DMatrixRMaj b = new DMatrixRMaj(k, k);
        assertTrue(CommonOps_DDRM.invert(inner, b));
        DMatrixRMaj fb = new DMatrixRMaj(n, k);
        CommonOps_DDRM.mult(centered, b, fb);
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(fb, centered, p);
        CommonOps_DDRM.scale(-1, p);
        for (int i = 0; i < n; i++) {
            p.add(i, i, 1);
        }
        int matches = 0;
        int repulsive = 0;
        for (int[] pair : pairs) {
            double projected = 0;
            for (int r = 0; r < n; r++) {
                for (int s = 0; s < n; s++) {
                    projected += centered.get(r, pair[0]) * p.get(r, s) * centered.get(s, pair[1]);
                }
            }
            if (Math.signum(b.get(pair[0], pair[1])) == -Math.signum(projected)) {
                matches++;
            }
            if (b.get(pair[0], pair[1]) < 0) {
                repulsive++;
            }
        }
        return new double[] {(double) matches / pairs.size(), (double) repulsive / pairs.size()};
    }

    @Test
    void agreesWithTheExplicitInverseAndProjectionWhereFeaturesAreFewerThanExamples() {
        int n = 60;
        int k = 12;
        float[] f = features(n, k, 3);
        RepulsionSignTest.Result result = RepulsionSignTest.of(f, n, k, 0.5, 10);
        assertEquals(10, result.pairs());
        DMatrixRMaj gram = new DMatrixRMaj(k, k);
        DMatrixRMaj centered = centered(f, n, k);
        CommonOps_DDRM.multTransA(centered, centered, gram);
        List<int[]> pairs = RepulsionSignTest.mostSimilar(gram, 10);
        double[] expected = explicit(f, n, k, 0.5, pairs);
        assertEquals(expected[0], result.score(), 0);
        assertEquals(expected[1], result.repulsiveFraction(), 0);
        assertEquals(1.0, result.score(), 0);
        assertTrue(result.minMargin() > 0 && result.minMargin() <= 1, "a cosine: " + result.minMargin());
    }

    @Test
    void agreesWithTheExplicitFormWhereFeaturesOutnumberExamples() {
        int n = 20;
        int k = 50; // the lock-in regime: K > n, F̃ᵀF̃ singular, only η makes B exist
        float[] f = features(n, k, 11);
        RepulsionSignTest.Result result = RepulsionSignTest.of(f, n, k, 1e-3, 40);
        DMatrixRMaj gram = new DMatrixRMaj(k, k);
        DMatrixRMaj centered = centered(f, n, k);
        CommonOps_DDRM.multTransA(centered, centered, gram);
        double[] expected = explicit(f, n, k, 1e-3, RepulsionSignTest.mostSimilar(gram, 40));
        assertEquals(expected[0], result.score(), 0);
        assertEquals(expected[1], result.repulsiveFraction(), 0);
        assertTrue(result.repulsiveFraction() > 0 && result.repulsiveFraction() < 1,
                "these features have pairs of either sign: " + result.repulsiveFraction());
    }

    @Test
    void picksTheMostCosineSimilarPairsFirstAndSkipsDeadUnits() {
        DMatrixRMaj gram = new DMatrixRMaj(new double[][] {
                {1, 0.9, 0.1, 0},
                {0.9, 1, 0.5, 0},
                {0.1, 0.5, 1, 0},
                {0, 0, 0, 0}});
        List<int[]> pairs = RepulsionSignTest.mostSimilar(gram, 2);
        assertEquals(2, pairs.size());
        assertEquals(List.of(0, 1), List.of(pairs.get(0)[0], pairs.get(0)[1]));
        assertEquals(List.of(1, 2), List.of(pairs.get(1)[0], pairs.get(1)[1]));
        assertEquals(3, RepulsionSignTest.mostSimilar(gram, 10).size()); // unit 3 is dead: 3 live pairs
    }

    @Test
    void refusesAZeroWeightDecayWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepulsionSignTest.of(features(10, 4, 1), 10, 4, 0, 5));
        assertTrue(e.getMessage().contains("eta > 0"), e.getMessage());
    }

    private static DMatrixRMaj centered(float[] f, int n, int k) {
        DMatrixRMaj out = new DMatrixRMaj(n, k);
        for (int c = 0; c < k; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += f[i * k + c];
            }
            for (int i = 0; i < n; i++) {
                out.set(i, c, f[i * k + c] - mean / n);
            }
        }
        return out;
    }
}
