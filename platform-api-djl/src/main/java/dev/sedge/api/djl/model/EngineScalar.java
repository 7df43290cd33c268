package dev.sedge.api.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A constant for arithmetic inside a differentiated forward pass or loss: a 0-dimensional array
 * whose memory the engine owns.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL's operations with a Java number ({@code mul}, {@code div},
 * {@code maximum}, {@code pow}, … of a {@link Number}) wrap the number in an array backed by a Java
 * direct buffer and close that array as soon as the call returns. PyTorch's autograd keeps the array
 * for the backward pass of a product, quotient or maximum, but nothing keeps the buffer: once the
 * garbage collector frees it, the backward pass reads freed memory. The gradient is then wrong —
 * a trajectory that silently leaves its course, or a NaN — at a moment set by the collector's timing,
 * so the same configuration and seed no longer give the same run (docs/plugins.md, "Constants in a
 * forward pass"). An array made here belongs to the engine, which keeps it for as long as the graph
 * needs it; the arithmetic is the same, bit for bit.
 *
 * <p>The architecture contract of the test kit catches the mistake: it runs the garbage collector
 * between the forward and the backward pass and requires the same gradients.
 */
public final class EngineScalar {

    private EngineScalar() {
    }

    /**
     * {@code value} as a 0-dimensional array of {@code like}'s data type, on {@code like}'s manager
     * and device, so that it is freed with the step's other temporaries.
     *
     * @param like the array the constant is combined with; not modified
     */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
