package dev.sedge.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The 8-bit floats against the constants their definitions give (OCP FP8 and MX, torch's fnuz). */
class DTypeTests {

    private static float pow2(int exponent) {
        return (float) Math.scalb(1.0, exponent);
    }

    @Test
    void decodesE4m3AsOcpDefinesIt() {
        assertEquals(448f, DType.F8_E4M3.decode(0x7E), "largest finite");
        assertEquals(-448f, DType.F8_E4M3.decode(0xFE));
        assertEquals(256f, DType.F8_E4M3.decode(0x78), "exponent 15 is finite");
        assertEquals(1f, DType.F8_E4M3.decode(0x38));
        assertEquals(pow2(-9), DType.F8_E4M3.decode(0x01), "smallest subnormal");
        assertEquals(pow2(-6), DType.F8_E4M3.decode(0x08), "smallest normal");
        assertTrue(Float.isNaN(DType.F8_E4M3.decode(0x7F)) && Float.isNaN(DType.F8_E4M3.decode(0xFF)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(DType.F8_E4M3.decode(0x80)));
    }

    @Test
    void decodesE5m2AsTheUpperByteOfAnF16() {
        for (int b = 0; b < 256; b++) {
            assertEquals(Float.floatToIntBits(DType.F16.decode(b << 8)), Float.floatToIntBits(DType.F8_E5M2.decode(b)),
                    Integer.toHexString(b));
        }
        assertEquals(57344f, DType.F8_E5M2.decode(0x7B));
        assertEquals(Float.POSITIVE_INFINITY, DType.F8_E5M2.decode(0x7C));
        assertEquals(pow2(-16), DType.F8_E5M2.decode(0x01));
    }

    @Test
    void decodesTheFnuzTypesWithTheirBiasAndOneNaN() {
        assertEquals(240f, DType.F8_E4M3FNUZ.decode(0x7F), "no NaN at 0x7F: largest finite");
        assertEquals(pow2(-10), DType.F8_E4M3FNUZ.decode(0x01));
        assertEquals(1f, DType.F8_E4M3FNUZ.decode(0x40));
        assertEquals(57344f, DType.F8_E5M2FNUZ.decode(0x7F), "no infinity: largest finite");
        assertEquals(pow2(-17), DType.F8_E5M2FNUZ.decode(0x01));
        assertEquals(1f, DType.F8_E5M2FNUZ.decode(0x40));
        for (DType fnuz : new DType[] {DType.F8_E4M3FNUZ, DType.F8_E5M2FNUZ}) {
            int nans = 0;
            for (int b = 0; b < 256; b++) {
                nans += Float.isNaN(fnuz.decode(b)) ? 1 : 0;
                assertFalse(Float.isInfinite(fnuz.decode(b)));
            }
            assertEquals(1, nans, fnuz + " has one NaN");
            assertTrue(Float.isNaN(fnuz.decode(0x80)));
        }
    }

    @Test
    void decodesE8m0AsAPowerOfTwo() {
        assertEquals(1f, DType.F8_E8M0.decode(0x7F));
        assertEquals(pow2(-127), DType.F8_E8M0.decode(0x00));
        assertEquals(pow2(127), DType.F8_E8M0.decode(0xFE));
        assertTrue(Float.isNaN(DType.F8_E8M0.decode(0xFF)));
    }

    @Test
    void sizesPackedTypesInBitsAndRefusesPartialBytes() {
        assertEquals(2, DType.F4.byteCount(4));
        assertEquals(12, DType.F6_E2M3.byteCount(16));
        assertEquals(16, DType.C64.byteCount(2));
        assertThrows(IllegalArgumentException.class, () -> DType.F4.byteCount(3));
        assertThrows(IllegalStateException.class, DType.F6_E3M2::bytes);
        assertThrows(IllegalStateException.class, () -> DType.F32.decode(0));
        assertTrue(DType.F8_E8M0.isFloating() && !DType.F4.isFloating() && !DType.C64.isFloating()
                && !DType.U64.isFloating());
    }

    @Test
    void countsBytesUpToTheLongRangeAndRefusesPastIt() {
        assertEquals(1L << 62, DType.F32.byteCount(1L << 60)); // as many bits as a long holds 8 times over
        assertEquals(1L << 62, DType.U8.byteCount(1L << 62));
        assertThrows(ArithmeticException.class, () -> DType.F64.byteCount(1L << 60));
        assertThrows(ArithmeticException.class, () -> DType.F4.byteCount(1L << 62));
    }
}
