package dev.sedge.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.DType;
import org.junit.jupiter.api.Test;

class HalfPrecisionTests {

    private static short bf16(float value) {
        return HalfPrecision.toBf16(value);
    }

    @Test
    void roundsBf16ToNearestWithTiesToEven() {
        assertEquals((short) 0x3F80, bf16(Float.intBitsToFloat(0x3F808000)), "tie, even below: down");
        assertEquals((short) 0x3F82, bf16(Float.intBitsToFloat(0x3F818000)), "tie, odd below: up");
        assertEquals((short) 0x3F81, bf16(Float.intBitsToFloat(0x3F808001)), "just above the tie: up");
        assertEquals((short) 0x3F80, bf16(Float.intBitsToFloat(0x3F807FFF)), "just below the tie: down");
    }

    @Test
    void keepsSignedZerosInfinitiesAndNaN() {
        assertEquals((short) 0x0000, bf16(0f));
        assertEquals((short) 0x8000, bf16(-0f));
        assertEquals((short) 0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals((short) 0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(DType.BF16.decode(bf16(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, DType.BF16.decode(bf16(Float.MAX_VALUE)), "overflow rounds to infinity");
    }

    @Test
    void decodesBf16AsTheUpperHalfOfAFloat() {
        for (int bits : new int[] {0x0000, 0x3F80, 0xC049, 0x0001, 0x7F7F}) {
            assertEquals(Float.intBitsToFloat(bits << 16), DType.BF16.decode((short) bits), 0f);
        }
    }

    @Test
    void roundTripsEveryF16Pattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = DType.F16.decode((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, HalfPrecision.toF16(value), Integer.toHexString(bits));
            }
        }
    }
}
