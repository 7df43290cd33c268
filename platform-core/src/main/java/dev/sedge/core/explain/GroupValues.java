package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's parameters seen through a window's group: θ_group as one vector (the group's tensors
 * concatenated in the window's order, as its directions are), its norm, and the parameters with the
 * group replaced or moved. Made once per explanation and read by each measurement, so that θ_group is
 * taken out of the tensors once. Immutable.
 */
final class GroupValues {

    private final List<Tensor> parameters;
    private final List<TensorInfo> group;
    private final double[] theta;
    private final double norm;

    private GroupValues(List<Tensor> parameters, List<TensorInfo> group, double[] theta) {
        this.parameters = List.copyOf(parameters);
        this.group = List.copyOf(group);
        this.theta = theta;
        double sum = 0;
        for (double v : theta) {
            sum += v * v;
        }
        this.norm = Math.sqrt(sum);
    }

    /**
     * @param parameters every parameter of the model at the checkpoint; not modified
     * @param group      the window's group, in its order
     */
    static GroupValues of(List<Tensor> parameters, List<TensorInfo> group) {
        Map<String, Tensor> byName = new HashMap<>();
        parameters.forEach(t -> byName.put(t.info().name(), t));
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
        return new GroupValues(parameters, group, theta);
    }

    /** Every parameter at the checkpoint, θ. */
    List<Tensor> parameters() {
        return parameters;
    }

    /** θ_group, in double. A new array. */
    double[] values() {
        return theta.clone();
    }

    /** ‖θ_group‖. */
    double norm() {
        return norm;
    }

    /** θ with the group moved by ε along {@code direction} (rounded to float, as the model stores it). */
    List<Tensor> moved(float[] direction, double epsilon) {
        double[] values = theta.clone();
        for (int i = 0; i < values.length; i++) {
            values[i] += epsilon * direction[i];
        }
        return with(values);
    }

    /** θ with the group's tensors set to {@code values}, rounded to float; the rest as they are. */
    List<Tensor> with(double[] values) {
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
}
