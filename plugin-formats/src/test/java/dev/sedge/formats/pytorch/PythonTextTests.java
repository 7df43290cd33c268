package dev.sedge.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonTextTests {

    /** Expected strings are Python 3's repr() of the same doubles (given as hex to be exact). */
    @ParameterizedTest
    @CsvSource({"0x1.47ae147ae147bp-7, 0.01", "0x1.5798ee2308c3ap-27, 1e-08", "0x1.ff7ced916872bp-1, 0.999",
        "0x1.1c37937e08000p+53, 1e+16", "0x1.c12218377de66p+46, 123456789012345.6", "0x1.f75104d551d69p-17, 1.5e-05",
        "0x1.a36e2eb1c432dp-14, 0.0001", "0x1.9000000000000p+6, 100.0", "-0x0.0p+0, -0.0", "0x1.0f0cf064dd592p+73, 1e+22",
        "0x0.0000000000001p-1022, 5e-324", "0x1.fffffffffffffp+1023, 1.7976931348623157e+308",
        "0x1.3333333333334p-2, 0.30000000000000004", "0x1.1c37937e07fffp+53, 9999999999999998.0",
        "-0x1.0c6f7a0b5ed8dp-22, -2.5e-07", "0x1.34a0000000000p+10, 1234.5"})
    void rendersFloatsExactlyAsPythonsRepr(String hex, String python) {
        assertEquals(python, PythonText.ofDouble(Double.parseDouble(hex)));
    }
}
