package dev.sedge.core.explain;

import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;

/**
 * The functional mode of an edge direction (docs/science.md, "Probe points and functional modes"): the
 * parameter group moved by ε along v_k, Δh_k(x) = h(x; θ + ε v_k) − h(x; θ) at a probe point, and
 * f_k(x) = ‖Δh_k(x)‖² over every input x of the task's domain. Stateless.
 */
public final class FunctionalModes {

    /** ε = {@value} · ‖θ_group‖, the papers' step along a unit direction. */
    public static final double EPSILON_FACTOR = 0.005;

    private FunctionalModes() {
    }

    /**
     * Δh_k over the inputs: the probe point's change when the group moves by ε along v_k.
     *
     * @param model   the model at the window's step
     * @param theta   its parameter values there
     * @param base    h at θ: {@code model.apply(theta.parameters(), inputs, output)}
     * @param k       the direction, 1-based
     * @param inputs  the inputs as the model reads them ({@link dev.sedge.api.task.TaskData#modelInputs}), row-major
     * @param output  the probe point h
     * @param epsilon ε, the step along the unit direction (see {@link #epsilon})
     * @return one row per input, in double
     */
    static double[][] change(ModelFunction model, GroupValues theta, Activations base, EdgeWindow window, int k,
                             int[] inputs, String output, double epsilon) {
        return difference(base, model.apply(theta.moved(window.direction(k), epsilon), inputs, output));
    }

    /** f(x) = ‖Δh(x)‖², one value per row of {@code change}. */
    static double[] mode(double[][] change) {
        double[] f = new double[change.length];
        for (int i = 0; i < f.length; i++) {
            for (double d : change[i]) {
                f[i] += d * d;
            }
        }
        return f;
    }

    /** ε = {@link #EPSILON_FACTOR} · ‖θ_group‖. */
    static double epsilon(GroupValues theta) {
        return EPSILON_FACTOR * theta.norm();
    }

    private static double[][] difference(Activations base, Activations moved) {
        float[] a = base.values();
        float[] b = moved.values();
        int width = base.width();
        double[][] change = new double[base.rows()][width];
        for (int i = 0; i < change.length; i++) {
            for (int j = 0; j < width; j++) {
                change[i][j] = (double) b[i * width + j] - a[i * width + j];
            }
        }
        return change;
    }
}
