package dev.sedge.api.checkpoint;

/**
 * Element types a checkpoint tensor may be stored in: every type the safetensors format defines
 * (names follow it), plus the two "FNUZ" 8-bit floats PyTorch saves.
 *
 * <p>The floating types ({@link #isFloating()}) are read as values: F64, F32, F16, BF16 and the
 * 8-bit floats. The others are listed but never read as parameters: integers and bools, complex
 * {@link #C64}, and the packed microscaling element types {@link #F4}, {@link #F6_E2M3} and
 * {@link #F6_E3M2}, whose values mean something only together with their block scales (another
 * tensor). The semantics of each 8-bit float are in {@link #decode(int)}.
 */
public enum DType {
    F64(64), F32(32), F16(16), BF16(16), I64(64), I32(32), I16(16), I8(8), U8(8), BOOL(8),
    U64(64), U32(32), U16(16),
    /** OCP FP8 E4M3 ("fn": finite): bias 7, no infinities, NaN at S.1111.111, largest 448. */
    F8_E4M3(8),
    /** OCP FP8 E5M2: bias 15, IEEE-like, with infinities and NaNs; the upper byte of an F16. */
    F8_E5M2(8),
    /** PyTorch's {@code float8_e4m3fnuz}: bias 8, no infinities, no negative zero, the one NaN 0x80. */
    F8_E4M3FNUZ(8),
    /** PyTorch's {@code float8_e5m2fnuz}: bias 16, no infinities, no negative zero, the one NaN 0x80. */
    F8_E5M2FNUZ(8),
    /** OCP E8M0 scale: 2^(bits − 127), unsigned, NaN at 0xFF. */
    F8_E8M0(8),
    /** OCP MX FP6 element type, two exponent bits; packed, 6 bits an element. */
    F6_E2M3(6),
    /** OCP MX FP6 element type, three exponent bits; packed, 6 bits an element. */
    F6_E3M2(6),
    /** OCP MX FP4 (E2M1) element type; packed, two elements a byte. */
    F4(4),
    /** Complex of two F32 (real, imaginary). */
    C64(64);

    private final int bits;

    DType(int bits) {
        this.bits = bits;
    }

    /** Bits per element. */
    public int bits() {
        return bits;
    }

    /**
     * Bytes per element.
     *
     * @throws IllegalStateException for the packed types of fewer than 8 bits ({@link #F4}, {@link #F6_E2M3},
     *                               {@link #F6_E3M2}); their sizes are {@link #byteCount(long)}
     */
    public int bytes() {
        if (bits % 8 != 0) {
            throw new IllegalStateException(this + " packs " + bits + "-bit elements; an element is not whole bytes");
        }
        return bits / 8;
    }

    /**
     * Bytes that {@code elements} elements take.
     *
     * @throws ArithmeticException      on overflow
     * @throws IllegalArgumentException if they do not fill whole bytes (an odd number of F4, for instance)
     */
    public long byteCount(long elements) {
        if (bits % 8 == 0) {
            return Math.multiplyExact(elements, bits / 8); // counted in bytes: 2^60 bytes and more do not overflow
        }
        long total = Math.multiplyExact(elements, bits);
        if (total % 8 != 0) {
            throw new IllegalArgumentException(elements + " " + this + " elements take " + total
                    + " bits, which is not whole bytes");
        }
        return total / 8;
    }

    /** Whether values of this type are floating point (the types a spectrum is computed over). */
    public boolean isFloating() {
        return switch (this) {
            case F64, F32, F16, BF16, F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> true;
            default -> false;
        };
    }

    /**
     * The value of one element of a floating type narrower than 32 bits (F16, BF16 and the 8-bit
     * floats), given its bits in the low bits of {@code bits}. Exact: every such value is a float.
     *
     * @throws IllegalStateException for any other type
     */
    public float decode(int bits) {
        return switch (this) {
            case F16 -> Float.float16ToFloat((short) bits);
            case BF16 -> Float.intBitsToFloat((bits & 0xFFFF) << 16);
            case F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> EightBit.TABLES[ordinal() - F8_E4M3.ordinal()][bits & 0xFF];
            default -> throw new IllegalStateException(this + " is not a floating type narrower than 32 bits");
        };
    }

    /** The 256 values of each 8-bit float, in the order of the constants from {@link #F8_E4M3}. */
    private static final class EightBit {

        static final float[][] TABLES = {table(4, 3, 7, false), table(5, 2, 15, false), table(4, 3, 8, true),
                table(5, 2, 16, true), e8m0()};

        /**
         * Sign, {@code e} exponent bits with {@code bias}, {@code m} mantissa bits. Without {@code fnuz}, an
         * all-ones exponent is infinity/NaN for E5M2 (IEEE) and NaN only with an all-ones mantissa for E4M3;
         * with it, every exponent is finite and 0x80 (negative zero's pattern) is the one NaN.
         */
        private static float[] table(int e, int m, int bias, boolean fnuz) {
            float[] out = new float[256];
            int maxExponent = (1 << e) - 1;
            for (int b = 0; b < 256; b++) {
                int sign = b >>> 7;
                int exponent = (b >>> m) & maxExponent;
                int mantissa = b & ((1 << m) - 1);
                double magnitude = exponent == 0
                        ? Math.scalb((double) mantissa / (1 << m), 1 - bias)
                        : Math.scalb(1 + (double) mantissa / (1 << m), exponent - bias);
                float value = (float) (sign == 1 ? -magnitude : magnitude);
                if (fnuz) {
                    value = b == 0x80 ? Float.NaN : value;
                } else if (e == 5 && exponent == maxExponent) {
                    value = mantissa == 0 ? (sign == 1 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) : Float.NaN;
                } else if (e == 4 && exponent == maxExponent && mantissa == (1 << m) - 1) {
                    value = Float.NaN;
                }
                out[b] = value;
            }
            return out;
        }

        private static float[] e8m0() {
            float[] out = new float[256];
            for (int b = 0; b < 256; b++) {
                out[b] = b == 0xFF ? Float.NaN : (float) Math.scalb(1.0, b - 127);
            }
            return out;
        }
    }
}
