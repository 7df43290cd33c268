package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.djl.optim.OptimizerRun;

/**
 * Drives an {@link OptimizerRun} and a double-precision {@link Reference} with the same gradient
 * sequence on one rows × cols parameter and compares θ after every step and the accumulated
 * decay part at the end, to an absolute {@link #TOLERANCE}.
 */
final class ReferenceCheck {

    /** Absolute tolerance on parameter values of order 1 after float32 steps. */
    static final double TOLERANCE = 1e-6;

    private ReferenceCheck() {
    }

    /** Initial values of order 1, row-major. */
    static double[] initialTheta(int rows, int cols) {
        double[] theta = new double[rows * cols];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = Math.cos(1.3 * i) * (1 + i % 3);
        }
        return theta;
    }

    /** A gradient sequence that does not depend on θ, with magnitudes from 1e-4 to 2. */
    static double[] gradientAt(int step, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.sin(0.7 * step + i) * Math.pow(10, -(i % 5)) * 2;
        }
        return g;
    }

    /**
     * @param run       a fresh run whose layout has one parameter {@code name} of shape rows × cols
     * @param reference started from {@link #initialTheta}
     * @return the largest absolute decay part seen, to let callers check it is not trivially zero
     */
    static double follow(NDManager manager, OptimizerRun run, String name, Reference reference, int rows, int cols,
                         int steps) {
        Shape shape = new Shape(rows, cols);
        NDArray theta = manager.create(toFloats(initialTheta(rows, cols)), shape);
        NDArray decay = manager.zeros(shape);
        for (int step = 1; step <= steps; step++) {
            double[] g = gradientAt(step, rows * cols);
            reference.step(g);
            try (NDArray gradient = manager.create(toFloats(g), shape)) {
                run.update(step, name, theta, gradient, decay);
            }
            assertClose(reference.theta(), theta.toFloatArray(), "theta after step " + step);
        }
        assertClose(reference.decayPart(), decay.toFloatArray(), "decay part");
        double largest = 0;
        for (double d : reference.decayPart()) {
            largest = Math.max(largest, Math.abs(d));
        }
        assertTrue(Double.isFinite(largest));
        return largest;
    }

    static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    static void assertClose(double[] expected, float[] found, String what) {
        assertEquals(expected.length, found.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], found[i], TOLERANCE, what + " [" + i + "]");
        }
    }
}
