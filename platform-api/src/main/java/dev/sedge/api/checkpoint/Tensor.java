package dev.sedge.api.checkpoint;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor with its values, held as {@code float} or, for {@link DType#F64}, as {@code double}
 * so that nothing is lost. Values are in row-major (C) order. The arrays are copied in and out.
 */
public final class Tensor {

    private final TensorInfo info;
    private final float[] floats;
    private final double[] doubles;

    private Tensor(TensorInfo info, float[] floats, double[] doubles) {
        long length = floats != null ? floats.length : doubles.length;
        if (length != info.elementCount()) {
            throw new IllegalArgumentException(info.name() + ": shape " + info.shape() + " holds "
                    + info.elementCount() + " elements, found " + length + " values");
        }
        this.info = info;
        this.floats = floats;
        this.doubles = doubles;
    }

    /**
     * A tensor of floats to be stored as {@code dtype} (any floating type but F64).
     *
     * @param values not modified; copied
     */
    public static Tensor ofFloats(String name, DType dtype, List<Long> shape, float[] values) {
        if (!dtype.isFloating() || dtype == DType.F64) {
            throw new IllegalArgumentException("float values are stored as F32, F16 or BF16, not " + dtype);
        }
        return new Tensor(new TensorInfo(name, dtype, shape), values.clone(), null);
    }

    /** A tensor of doubles, stored as F64. {@code values} is not modified; copied. */
    public static Tensor ofDoubles(String name, List<Long> shape, double[] values) {
        return new Tensor(new TensorInfo(name, DType.F64, shape), null, values.clone());
    }

    public TensorInfo info() {
        return info;
    }

    /** The values as floats (F64 values rounded). A new array. */
    public float[] floats() {
        if (floats != null) {
            return floats.clone();
        }
        float[] out = new float[doubles.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubles[i];
        }
        return out;
    }

    /** The values as doubles (exact for every stored type). A new array. */
    public double[] doubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        double[] out = new double[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && info.equals(t.info) && Arrays.equals(floats, t.floats)
                && Arrays.equals(doubles, t.doubles);
    }

    @Override
    public int hashCode() {
        return info.hashCode() * 31 + (floats != null ? Arrays.hashCode(floats) : Arrays.hashCode(doubles));
    }

    @Override
    public String toString() {
        return "Tensor" + info;
    }
}
