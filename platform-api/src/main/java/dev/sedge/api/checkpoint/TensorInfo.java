package dev.sedge.api.checkpoint;

import java.util.List;
import java.util.Objects;

/**
 * A named tensor's type and shape, without its values.
 *
 * @param name  as stored ({@code blocks.0.attn.q.weight}); never blank
 * @param dtype the stored element type
 * @param shape dimensions, outermost first; empty for a scalar; every entry &ge; 0
 */
public record TensorInfo(String name, DType dtype, List<Long> shape) {

    public TensorInfo {
        Objects.requireNonNull(dtype, "dtype");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        shape = List.copyOf(shape);
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + name + " " + shape);
            }
        }
    }

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Stored size in bytes.
     *
     * @throws ArithmeticException      on overflow
     * @throws IllegalArgumentException if a packed type's elements do not fill whole bytes
     */
    public long byteCount() {
        return dtype.byteCount(elementCount());
    }
}
