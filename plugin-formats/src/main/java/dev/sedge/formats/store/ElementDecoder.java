package dev.sedge.formats.store;

import dev.sedge.api.checkpoint.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Converts the elements of a {@link StoredTensor} to {@code float} or {@code double}, in
 * row-major order, whatever its strides and byte order. A row-major F32 (or F64 to double)
 * tensor is one bulk copy; anything else is decoded run by run along the last dimension.
 */
final class ElementDecoder {

    private ElementDecoder() {
    }

    /**
     * @param bytes the source's bytes; not modified
     * @param dst   modified: {@code tensor.info().elementCount()} values from {@code offset}
     */
    static void toFloats(MemorySegment bytes, StoredTensor tensor, float[] dst, int offset) {
        Layouts layouts = Layouts.of(tensor.order());
        DType dtype = tensor.info().dtype();
        forEachRun(tensor, (start, step, count, index) -> {
            int to = offset + index;
            switch (dtype) {
                case F32 -> {
                    if (step == 4) {
                        MemorySegment.copy(bytes, layouts.f32, start, dst, to, count);
                    } else {
                        for (int i = 0; i < count; i++) {
                            dst[to + i] = bytes.get(layouts.f32, start + step * i);
                        }
                    }
                }
                case F64 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = (float) bytes.get(layouts.f64, start + step * i);
                    }
                }
                case F16, BF16 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = dtype.decode(bytes.get(layouts.i16, start + step * i));
                    }
                }
                case F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = dtype.decode(bytes.get(ValueLayout.JAVA_BYTE, start + step * i));
                    }
                }
                default -> throw new IllegalArgumentException("not floating: " + tensor.info());
            }
        });
    }

    /**
     * @param bytes the source's bytes; not modified
     * @param dst   modified: {@code tensor.info().elementCount()} values from {@code offset}
     */
    static void toDoubles(MemorySegment bytes, StoredTensor tensor, double[] dst, int offset) {
        Layouts layouts = Layouts.of(tensor.order());
        DType dtype = tensor.info().dtype();
        forEachRun(tensor, (start, step, count, index) -> {
            int to = offset + index;
            switch (dtype) {
                case F64 -> {
                    if (step == 8) {
                        MemorySegment.copy(bytes, layouts.f64, start, dst, to, count);
                    } else {
                        for (int i = 0; i < count; i++) {
                            dst[to + i] = bytes.get(layouts.f64, start + step * i);
                        }
                    }
                }
                case F32 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = bytes.get(layouts.f32, start + step * i);
                    }
                }
                case F16, BF16 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = dtype.decode(bytes.get(layouts.i16, start + step * i));
                    }
                }
                case F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> {
                    for (int i = 0; i < count; i++) {
                        dst[to + i] = dtype.decode(bytes.get(ValueLayout.JAVA_BYTE, start + step * i));
                    }
                }
                default -> throw new IllegalArgumentException("not floating: " + tensor.info());
            }
        });
    }

    /** A run of {@code count} elements from byte {@code start}, {@code step} bytes apart, for output index {@code index}. */
    private interface Run {
        void decode(long start, long step, int count, int index);
    }

    /** Calls {@code run} for each run along the last dimension, in row-major order (once for a row-major tensor). */
    private static void forEachRun(StoredTensor tensor, Run run) {
        List<Long> shape = tensor.info().shape();
        long total = tensor.info().elementCount();
        int bytes = tensor.info().dtype().bytes();
        if (total == 0) {
            return;
        }
        if (shape.isEmpty() || tensor.isRowMajor()) {
            run.decode(tensor.byteOffset(), bytes, (int) total, 0);
            return;
        }
        int n = shape.size();
        List<Long> strides = tensor.strides();
        int inner = Math.toIntExact(shape.get(n - 1));
        long innerStep = strides.get(n - 1) * bytes;
        long[] index = new long[n - 1];
        int out = 0;
        for (long row = 0, rows = total / inner; row < rows; row++) {
            long start = tensor.byteOffset();
            for (int k = 0; k < n - 1; k++) {
                start += index[k] * strides.get(k) * bytes;
            }
            run.decode(start, innerStep, inner, out);
            out += inner;
            for (int k = n - 2; k >= 0 && ++index[k] == shape.get(k); k--) {
                index[k] = 0;
            }
        }
    }

    /** Unaligned element layouts in one byte order. */
    private record Layouts(ValueLayout.OfFloat f32, ValueLayout.OfDouble f64, ValueLayout.OfShort i16) {

        private static final Layouts LITTLE = in(ByteOrder.LITTLE_ENDIAN);
        private static final Layouts BIG = in(ByteOrder.BIG_ENDIAN);

        static Layouts of(ByteOrder order) {
            return order == ByteOrder.BIG_ENDIAN ? BIG : LITTLE;
        }

        private static Layouts in(ByteOrder order) {
            return new Layouts(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order),
                    ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order));
        }
    }
}
