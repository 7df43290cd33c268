package dev.sedge.api.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.List;
import java.util.Objects;

/**
 * Every parameter of a model laid end to end in flat 1-D arrays, as the trainer keeps them: the
 * weights (each parameter's array is a view of its segment), this step's gradients, and the
 * weight-decay accumulator. One elementwise update over the flat arrays replaces one update per
 * parameter: a few engine calls per step instead of a few per parameter.
 *
 * <p>Segment i holds parameter i of {@code layout}, row-major, from offset Σ_{j &lt; i} n_j, n_j the
 * element count of parameter j; the arrays hold exactly Σ n_j values of one floating data type.
 *
 * @param weights   modified by the update: in place, which changes every parameter's array
 * @param gradients not modified: ∇ of this step (after any clipping)
 * @param decay     nullable; modified: the weight-decay part of this step's change is added to it
 * @param layout    the parameters in segment order
 */
public record ParameterBuffers(NDArray weights, NDArray gradients, NDArray decay, List<TensorInfo> layout) {

    public ParameterBuffers {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(gradients, "gradients");
        layout = List.copyOf(layout);
        long total = layout.stream().mapToLong(TensorInfo::elementCount).sum();
        for (NDArray a : decay == null ? List.of(weights, gradients) : List.of(weights, gradients, decay)) {
            if (a.getShape().dimension() != 1 || a.getShape().get(0) != total) {
                throw new IllegalArgumentException("flat parameter arrays must have shape (" + total
                        + "), the layout's element count; found " + a.getShape());
            }
        }
    }

    /** Where parameter {@code index}'s segment starts. */
    public long offset(int index) {
        long offset = 0;
        for (int i = 0; i < index; i++) {
            offset += layout.get(i).elementCount();
        }
        return offset;
    }

    /**
     * Parameter {@code index}'s segment of {@code flat} (one of this record's arrays, or an array
     * of the same layout) in the parameter's shape: a view, so writing to it writes to {@code flat}.
     * It belongs to {@code flat}'s manager; attach it to a scope to free it early.
     */
    public NDArray segment(NDArray flat, int index) {
        TensorInfo info = layout.get(index);
        long from = offset(index);
        long[] dims = info.shape().stream().mapToLong(Long::longValue).toArray();
        return view(flat, from, info.elementCount(), new Shape(dims));
    }

    /**
     * Values [from, from + count) of the 1-D {@code flat} in {@code shape}: a view on {@code flat}'s
     * manager, and nothing else left there.
     */
    public static NDArray view(NDArray flat, long from, long count, Shape shape) {
        NDArray slice = flat.get(new NDIndex().addSliceDim(from, from + count));
        if (shape.dimension() == 1) {
            return slice;
        }
        NDArray view = slice.reshape(shape);
        slice.close(); // the view keeps the storage; only the slice's handle goes
        return view;
    }
}
