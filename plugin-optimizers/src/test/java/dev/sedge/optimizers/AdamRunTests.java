package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamRunTests {

    /** Absolute tolerance on parameter values of order 1 after float32 steps. */
    private static final double TOLERANCE = 1e-6;
    private static final int ROWS = 5;
    private static final int COLUMNS = 7;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private static OptimizerRun adam(Map<String, ?> settings, TensorInfo... parameters) {
        AdamOptimizer adam = new AdamOptimizer();
        return adam.create(PluginConfig.of("optimizer.adam", adam.descriptor(), settings), List.of(parameters));
    }

    private static TensorInfo info(String name, long... shape) {
        return new TensorInfo(name, DType.F32, java.util.Arrays.stream(shape).boxed().toList());
    }

    private static double[] initialTheta() {
        double[] theta = new double[ROWS * COLUMNS];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = Math.cos(1.3 * i) * (1 + i % 3);
        }
        return theta;
    }

    /** A gradient sequence that does not depend on θ, with magnitudes from 1e-4 to 2. */
    private static double[] gradientAt(int step) {
        double[] g = new double[ROWS * COLUMNS];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sin(0.7 * step + i) * Math.pow(10, -(i % 5)) * 2;
        }
        return g;
    }

    private NDArray array(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, new Shape(ROWS, COLUMNS));
    }

    private static void assertClose(double[] expected, NDArray actual, String what) {
        float[] found = actual.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], found[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    @Test
    void matchesTorchAdamGoldenValuesOnAQuadratic() {
        // torch 1.13, float32: Adam([theta], lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1),
        // loss = sum(a * (theta - c)^2) / 2, five steps from theta0.
        float[] golden = {0.253981829f, -0.750651658f, 1.75042737f, 0.245804608f, -0.0139072314f, 1.25398195f};
        NDArray theta = manager.create(new float[] {0.5f, -1f, 2f, 0f, -0.25f, 1.5f}, new Shape(2, 3));
        NDArray a = manager.create(new float[] {1f, 2f, 0.5f, 3f, 1f, 0.1f}, new Shape(2, 3));
        NDArray c = manager.create(new float[] {0f, 1f, -1f, 0.5f, 0f, 2f}, new Shape(2, 3));
        try (OptimizerRun run = adam(Map.of("learning-rate", 0.05, "weight-decay", 0.1), info("theta", 2, 3))) {
            for (int step = 1; step <= 5; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray gradient = theta.sub(c).mul(a);
                    gradient.attach(scope);
                    run.update(step, "theta", theta, gradient, null);
                }
            }
        }
        float[] found = theta.toFloatArray();
        for (int i = 0; i < golden.length; i++) {
            assertEquals(golden[i], found[i], TOLERANCE, "theta[" + i + "]");
        }
    }

    @Test
    void followsTheDoublePrecisionReferenceStepByStep() {
        double lr = 1e-2;
        double omega = 0.05;
        ReferenceAdam reference = new ReferenceAdam(initialTheta(), lr, 0.9, 0.999, 1e-8, omega);
        NDArray theta = array(initialTheta());
        try (OptimizerRun run = adam(Map.of("learning-rate", lr, "weight-decay", omega), info("w", ROWS, COLUMNS))) {
            for (int step = 1; step <= 8; step++) {
                double[] g = gradientAt(step);
                reference.step(g);
                try (NDArray gradient = array(g)) {
                    run.update(step, "w", theta, gradient, null);
                }
                assertClose(reference.theta, theta, "theta after step " + step);
            }
        }
    }

    @Test
    void decayPartAndGradientPartAddUpToTheTotalChange() {
        double lr = 1e-2;
        double omega = 0.2;
        ReferenceAdam reference = new ReferenceAdam(initialTheta(), lr, 0.9, 0.98, 1e-8, omega);
        NDArray theta = array(initialTheta());
        NDArray start = theta.duplicate();
        NDArray decay = manager.zeros(new Shape(ROWS, COLUMNS));
        try (OptimizerRun run = adam(Map.of("learning-rate", lr, "beta2", 0.98, "weight-decay", omega),
                info("w", ROWS, COLUMNS))) {
            for (int step = 1; step <= 8; step++) {
                double[] g = gradientAt(step);
                reference.step(g);
                try (NDArray gradient = array(g)) {
                    run.update(step, "w", theta, gradient, decay);
                }
            }
        }
        NDArray total = theta.sub(start);
        NDArray gradientPart = total.sub(decay);
        assertClose(reference.decayPart, decay, "decay part");
        assertClose(reference.gradientPart, gradientPart, "gradient part");
        double[] sum = new double[reference.theta.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = reference.decayPart[i] + reference.gradientPart[i];
        }
        assertClose(sum, total, "total change");
        assertNotEquals(0f, decay.abs().max().getFloat(), "weight decay 0.2 must leave a visible decay part");
    }

    @Test
    void decayPartIsExactlyZeroWhenWeightDecayIsZero() {
        double lr = 1e-2;
        ReferenceAdam reference = new ReferenceAdam(initialTheta(), lr, 0.9, 0.999, 1e-8, 0);
        NDArray theta = array(initialTheta());
        NDArray decay = manager.zeros(new Shape(ROWS, COLUMNS));
        try (OptimizerRun run = adam(Map.of("learning-rate", lr), info("w", ROWS, COLUMNS))) {
            for (int step = 1; step <= 5; step++) {
                double[] g = gradientAt(step);
                reference.step(g);
                try (NDArray gradient = array(g)) {
                    run.update(step, "w", theta, gradient, decay);
                }
            }
        }
        assertArrayEquals(new float[ROWS * COLUMNS], decay.toFloatArray(), 0f);
        assertClose(reference.theta, theta, "theta");
    }

    @Test
    void updatesInPlaceWhileAutogradIsRecordingWithoutBuildingAGraph() {
        NDArray theta = array(initialTheta());
        theta.setRequiresGradient(true);
        float[] before = theta.toFloatArray();
        try (OptimizerRun run = adam(Map.of("weight-decay", 0.1), info("w", ROWS, COLUMNS));
             GradientCollector collector = Engine.getInstance().newGradientCollector();
             NDArray gradient = array(gradientAt(1))) {
            run.update(1, "w", theta, gradient, null);
            collector.zeroGradients();
        }
        assertNotEquals(before[0], theta.toFloatArray()[0]);
    }

    @Test
    void keepsNoTemporariesOnTheWeightsManagerAcrossSteps() {
        OptimizerRun run = adam(Map.of("weight-decay", 0.1), info("w", ROWS, COLUMNS));
        try (NDManager model = manager.newSubManager()) {
            NDArray theta = model.create(new float[ROWS * COLUMNS], new Shape(ROWS, COLUMNS));
            try (NDArray gradient = array(gradientAt(1))) {
                run.update(1, "w", theta, gradient, null);
            }
            int afterFirst = model.getManagedArrays().size();
            for (int step = 2; step <= 6; step++) {
                try (NDArray gradient = array(gradientAt(step))) {
                    run.update(step, "w", theta, gradient, null);
                }
            }
            // the weight, three flat moments (m_grad, m_wd, v) and the weight's view of each; nothing per step
            assertEquals(7, afterFirst);
            assertEquals(afterFirst, model.getManagedArrays().size());
            run.close();
            assertEquals(1, model.getManagedArrays().size());
        }
    }

    @Test
    void rejectsAStepOutOfOrder() {
        NDArray theta = array(initialTheta());
        try (OptimizerRun run = adam(Map.of(), info("w", ROWS, COLUMNS));
             NDArray gradient = array(gradientAt(1))) {
            assertThrows(IllegalStateException.class, () -> run.update(2, "w", theta, gradient, null));
            run.update(1, "w", theta, gradient, null);
            assertThrows(IllegalStateException.class, () -> run.update(1, "w", theta, gradient, null));
            run.update(2, "w", theta, gradient, null);
        }
    }

    @Test
    void rejectsAnUnknownParameterAShapeOtherThanTheLayoutsAndUseAfterClose() {
        NDArray theta = array(initialTheta());
        OptimizerRun run = adam(Map.of(), info("w", ROWS, COLUMNS));
        try (NDArray gradient = array(gradientAt(1));
             NDArray wrong = manager.zeros(new Shape(COLUMNS, ROWS))) {
            assertThrows(IllegalArgumentException.class, () -> run.update(1, "v", theta, gradient, null));
            assertThrows(IllegalArgumentException.class, () -> run.update(1, "w", theta, wrong, null));
            assertThrows(IllegalArgumentException.class, () -> run.update(1, "w", theta, gradient, wrong));
            run.close();
            run.close();
            assertThrows(IllegalStateException.class, () -> run.update(1, "w", theta, gradient, null));
        }
    }
}
