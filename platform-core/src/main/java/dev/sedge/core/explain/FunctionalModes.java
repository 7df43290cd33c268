package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import java.util.List;

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
     * f_1..f_n for every direction of {@code window}.
     *
     * @param model      the model at the window's step
     * @param parameters its parameter values θ there; not modified
     * @param tokens     every input of the domain, in domain order, row-major
     * @param output     the probe point h
     * @param epsilon    ε, the step along each unit direction (see {@link #epsilon})
     * @return n arrays, one value per input
     */
    public static double[][] of(ModelFunction model, List<Tensor> parameters, EdgeWindow window, int[] tokens,
                                String output, double epsilon) {
        Activations base = model.apply(parameters, tokens, output);
        double[][] modes = new double[window.count()][];
        for (int k = 1; k <= window.count(); k++) {
            Activations moved = model.apply(moved(parameters, window, k, epsilon), tokens, output);
            modes[k - 1] = squaredChange(base, moved);
        }
        return modes;
    }

    /** ε = {@link #EPSILON_FACTOR} · ‖θ_group‖ at these parameter values. */
    public static double epsilon(List<Tensor> parameters, EdgeWindow window) {
        double sum = 0;
        for (double v : GroupValues.of(parameters, window.tensors())) {
            sum += v * v;
        }
        return EPSILON_FACTOR * Math.sqrt(sum);
    }

    /** θ with the group moved by ε v_k (rounded to float, as the model stores it). */
    static List<Tensor> moved(List<Tensor> parameters, EdgeWindow window, int k, double epsilon) {
        double[] theta = GroupValues.of(parameters, window.tensors());
        float[] v = window.direction(k);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += epsilon * v[i];
        }
        return GroupValues.with(parameters, window.tensors(), theta);
    }

    private static double[] squaredChange(Activations base, Activations moved) {
        float[] a = base.values();
        float[] b = moved.values();
        int width = base.width();
        double[] f = new double[base.rows()];
        for (int i = 0; i < f.length; i++) {
            double sum = 0;
            for (int j = 0; j < width; j++) {
                double d = (double) b[i * width + j] - a[i * width + j];
                sum += d * d;
            }
            f[i] = sum;
        }
        return f;
    }
}
