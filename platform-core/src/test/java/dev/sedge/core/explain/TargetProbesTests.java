package dev.sedge.core.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The three probes on synthetic features with a planted target: Gaussian features (d = 6, 3000 rows in
 * strings of 5), a target linear in them, the product x₀x₁, and |x₀|; what each probe can represent, it
 * fits; what it cannot, it does not. And the probes are a pure function of their input.
 */
class TargetProbesTests {

    private static final int WIDTH = 6;
    private static final int ROWS = 3000;

    private static final double[] X = features();

    private static double[] features() {
        SplittableRandom random = new SplittableRandom(11);
        double[] x = new double[ROWS * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    private static TargetProbes probe(ToDoubleFunction<double[]> target) {
        double[] y = new double[ROWS];
        int[] group = new int[ROWS];
        double[] row = new double[WIDTH];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(X, r * WIDTH, row, 0, WIDTH);
            y[r] = target.applyAsDouble(row);
            group[r] = r / 5;
        }
        return TargetProbes.fit("planted", "hidden", X, y, WIDTH, group);
    }

    @Test
    void aTargetLinearInTheFeaturesIsFittedByEveryProbe() {
        TargetProbes p = probe(x -> 2 * x[0] - x[1] + 0.5 * x[4] + 3);
        assertTrue(p.linear() > 0.999, "linear R² " + p.linear());
        assertTrue(p.quadratic() > 0.999, "quadratic R² " + p.quadratic());
        assertTrue(p.mlp() > 0.95, "MLP R² " + p.mlp());
    }

    @Test
    void aProductOfTwoFeaturesNeedsTheQuadraticProbe() {
        TargetProbes p = probe(x -> x[0] * x[1]);
        assertTrue(p.linear() < 0.05, "linear R² (out of sample, so it may be below 0) " + p.linear());
        assertTrue(p.quadratic() > 0.999, "quadratic R² " + p.quadratic());
    }

    @Test
    void anAbsoluteValueIsFittedByTheMlpAndNotByTheLinearProbe() {
        TargetProbes p = probe(x -> Math.abs(x[0]));
        assertTrue(p.linear() < 0.05, "linear R² (out of sample, so it may be below 0) " + p.linear());
        assertTrue(p.mlp() > 0.95, "MLP R² " + p.mlp());
    }

    @Test
    void splitsSeventyThirtyOverStringsAndReportsTheShapes() {
        TargetProbes p = probe(x -> x[0]);
        assertEquals(ROWS, p.train() + p.test(), "every row is trained on or tested");
        assertEquals(0.3 * ROWS, p.test(), 1e-9, "600 strings of 5 rows: 180 strings, 900 rows tested");
        assertEquals(WIDTH, p.width());
        assertEquals(WIDTH, p.components(), "k = min(32, d)");
    }

    @Test
    void isAPureFunctionOfItsInput() {
        assertEquals(probe(x -> Math.abs(x[0]) + x[1] * x[2]), probe(x -> Math.abs(x[0]) + x[1] * x[2]));
    }

    @Test
    void refusesASingleString() {
        assertThrows(IllegalArgumentException.class, () -> TargetProbes.fit("t", "h", new double[4], new double[2], 2,
                new int[2]));
    }
}
