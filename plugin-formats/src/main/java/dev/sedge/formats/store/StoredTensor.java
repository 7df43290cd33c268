package dev.sedge.formats.store;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.TensorInfo;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a tensor's elements lie in a {@link ByteSource}: element {@code [i0, …, ik]} starts at
 * byte {@code byteOffset + (i0·strides[0] + … + ik·strides[k]) · dtype.bytes()}. A view of a
 * shared storage, a transposed or Fortran-ordered array are all described this way.
 *
 * @param info       name, dtype and shape
 * @param source     the bytes holding the elements (for a view: its whole storage)
 * @param order      the byte order of each element
 * @param byteOffset where element {@code [0, …, 0]} starts in {@code source}; &ge; 0
 * @param strides    in elements, one per dimension, each &ge; 0; unmodifiable
 */
public record StoredTensor(TensorInfo info, ByteSource source, ByteOrder order, long byteOffset, List<Long> strides) {

    public StoredTensor {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(order, "order");
        strides = List.copyOf(strides);
        if (strides.size() != info.shape().size()) {
            throw new IllegalArgumentException(info.name() + ": " + strides.size() + " strides for shape " + info.shape());
        }
    }

    /** A tensor stored in row-major (C) order from {@code byteOffset}. */
    public static StoredTensor contiguous(TensorInfo info, ByteSource source, ByteOrder order, long byteOffset) {
        return new StoredTensor(info, source, order, byteOffset, cStrides(info.shape()));
    }

    /** Row-major strides of {@code shape}: the last dimension varies fastest. */
    public static List<Long> cStrides(List<Long> shape) {
        List<Long> out = new ArrayList<>(Collections.nCopies(shape.size(), 1L));
        long stride = 1;
        for (int k = shape.size() - 1; k >= 0; k--) {
            out.set(k, stride);
            stride = Math.multiplyExact(stride, Math.max(1, shape.get(k)));
        }
        return out;
    }

    /** Column-major (Fortran) strides of {@code shape}: the first dimension varies fastest. */
    public static List<Long> fortranStrides(List<Long> shape) {
        List<Long> out = new ArrayList<>(shape.size());
        long stride = 1;
        for (long d : shape) {
            out.add(stride);
            stride = Math.multiplyExact(stride, Math.max(1, d));
        }
        return out;
    }

    /** Whether the elements are adjacent in row-major order (dimensions of size 1 ignored). */
    public boolean isRowMajor() {
        List<Long> c = cStrides(info.shape());
        for (int k = 0; k < strides.size(); k++) {
            if (info.shape().get(k) > 1 && !strides.get(k).equals(c.get(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * This tensor, after checking that every element lies inside its source. Only floating
     * tensors are checked: they are the only ones ever read.
     *
     * @param file for the message
     * @throws DataFormatException naming {@code file} and the tensor if an element lies outside
     */
    public StoredTensor checkedIn(Path file) {
        if (!info.dtype().isFloating() || info.elementCount() == 0) {
            return this;
        }
        try {
            long last = 0;
            for (int k = 0; k < strides.size(); k++) {
                if (strides.get(k) < 0) {
                    throw outside(file, "has a negative stride " + strides);
                }
                last = Math.addExact(last, Math.multiplyExact(info.shape().get(k) - 1, strides.get(k)));
            }
            long end = Math.addExact(byteOffset, Math.multiplyExact(last + 1, info.dtype().bytes()));
            if (byteOffset < 0 || end > source.size()) {
                throw outside(file, "reaches byte " + end + " of its storage, which holds " + source.size()
                        + " bytes");
            }
        } catch (ArithmeticException e) {
            throw outside(file, "has offsets that overflow 64 bits");
        }
        return this;
    }

    private DataFormatException outside(Path file, String what) {
        return new DataFormatException(file + ": tensor '" + info.name() + "' (" + info.dtype() + " " + info.shape()
                + ", offset " + byteOffset + " bytes, strides " + strides + ") " + what + "; the file is corrupt or truncated");
    }
}
