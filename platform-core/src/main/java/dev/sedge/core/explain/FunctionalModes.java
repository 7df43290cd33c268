package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        Map<String, Tensor> byName = byName(parameters);
        double sum = 0;
        for (TensorInfo info : window.tensors()) {
            for (float v : byName.get(info.name()).floats()) {
                sum += (double) v * v;
            }
        }
        return EPSILON_FACTOR * Math.sqrt(sum);
    }

    /** θ with the group's tensors moved by ε v_k (in float, as the model stores them). */
    static List<Tensor> moved(List<Tensor> parameters, EdgeWindow window, int k, double epsilon) {
        float[] v = window.direction(k);
        Map<String, float[]> shifted = new HashMap<>();
        Map<String, Tensor> byName = byName(parameters);
        int offset = 0;
        for (TensorInfo info : window.tensors()) {
            float[] values = byName.get(info.name()).floats();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] + epsilon * v[offset + i]);
            }
            offset += values.length;
            shifted.put(info.name(), values);
        }
        List<Tensor> out = new ArrayList<>(parameters.size());
        for (Tensor t : parameters) {
            float[] values = shifted.get(t.info().name());
            out.add(values == null ? t : Tensor.ofFloats(t.info().name(), t.info().dtype(), t.info().shape(), values));
        }
        return out;
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

    private static Map<String, Tensor> byName(List<Tensor> parameters) {
        Map<String, Tensor> map = new HashMap<>();
        parameters.forEach(t -> map.put(t.info().name(), t));
        return map;
    }
}
