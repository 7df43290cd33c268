package dev.sedge.core.format;

/**
 * Conversions from {@code float} to the two 16-bit floating types (back is {@link
 * dev.sedge.api.checkpoint.DType#decode(int)}), F16 (IEEE binary16) and
 * BF16 (bfloat16: the upper half of a binary32). Both round to nearest, ties to even, as
 * PyTorch and numpy do, so a value converted here equals the value they store.
 */
final class HalfPrecision {

    private HalfPrecision() {
    }

    /** The F16 bits of {@code value}, rounded to nearest even; overflow gives infinity. */
    static short toF16(float value) {
        return Float.floatToFloat16(value);
    }

    /**
     * The BF16 bits of {@code value}, rounded to nearest even (PyTorch's {@code round_to_nearest_even});
     * a NaN stays a quiet NaN.
     */
    static short toBf16(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
