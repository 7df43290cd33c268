package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a parameter group as one vector θ_group (the group's tensors concatenated in the
 * window's order, as its directions are), and parameters with the group replaced. Stateless.
 */
final class GroupValues {

    private GroupValues() {
    }

    /** θ_group, in double. {@code parameters} is not modified. */
    static double[] of(List<Tensor> parameters, List<TensorInfo> group) {
        Map<String, Tensor> byName = byName(parameters);
        int p = 0;
        for (TensorInfo info : group) {
            p += Math.toIntExact(info.elementCount());
        }
        double[] theta = new double[p];
        int offset = 0;
        for (TensorInfo info : group) {
            for (float v : byName.get(info.name()).floats()) {
                theta[offset++] = v;
            }
        }
        return theta;
    }

    /** ‖θ_group‖. */
    static double norm(List<Tensor> parameters, List<TensorInfo> group) {
        double sum = 0;
        for (double v : of(parameters, group)) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /** {@code parameters} with the group's tensors set to {@code values}, rounded to float; the rest as given. */
    static List<Tensor> with(List<Tensor> parameters, List<TensorInfo> group, double[] values) {
        Map<String, float[]> replaced = new HashMap<>();
        int offset = 0;
        for (TensorInfo info : group) {
            float[] x = new float[Math.toIntExact(info.elementCount())];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) values[offset + i];
            }
            offset += x.length;
            replaced.put(info.name(), x);
        }
        List<Tensor> out = new ArrayList<>(parameters.size());
        for (Tensor t : parameters) {
            float[] x = replaced.get(t.info().name());
            out.add(x == null ? t : Tensor.ofFloats(t.info().name(), t.info().dtype(), t.info().shape(), x));
        }
        return out;
    }

    private static Map<String, Tensor> byName(List<Tensor> parameters) {
        Map<String, Tensor> map = new HashMap<>();
        parameters.forEach(t -> map.put(t.info().name(), t));
        return map;
    }
}
