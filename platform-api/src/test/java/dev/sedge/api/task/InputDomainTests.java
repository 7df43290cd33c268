package dev.sedge.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The modulus several coordinates share, as the bases over (a, b) and a + b ask for it. */
class InputDomainTests {

    private static final InputDomain DOMAIN = InputDomain.builder(2).coordinate("a", 7, new int[] {0, 6})
            .coordinate("b", 7, new int[] {1, 2}).coordinate("depth", 3, new int[] {0, 2}).build();

    @Test
    void isTheModulusOfEveryNamedCoordinateWhenTheyAgree() {
        assertEquals(OptionalInt.of(7), DOMAIN.sharedModulus(List.of("a", "b")));
        assertEquals(OptionalInt.of(3), DOMAIN.sharedModulus(List.of("depth")));
    }

    @Test
    void isEmptyForDifferentModuliAMissingCoordinateOrNone() {
        assertEquals(OptionalInt.empty(), DOMAIN.sharedModulus(List.of("a", "depth")));
        assertEquals(OptionalInt.empty(), DOMAIN.sharedModulus(List.of("a", "y")));
        assertEquals(OptionalInt.empty(), DOMAIN.sharedModulus(List.of()));
    }
}
