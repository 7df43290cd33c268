package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.NumericException;
import org.junit.jupiter.api.Test;

class SnapshotDifferencerTests {

    @Test
    void firstSnapshotPrimesAndLaterOnesGiveDifferences() {
        SnapshotDifferencer d = new SnapshotDifferencer(3);
        assertTrue(d.accept(0, new float[] {1, 2, 3}).isEmpty());
        assertArrayEquals(new float[] {0.5f, -2, 0}, d.accept(100, new float[] {1.5f, 0, 3}).orElseThrow());
        assertArrayEquals(new float[] {1, 1, 1}, d.accept(200, new float[] {2.5f, 1, 4}).orElseThrow());
    }

    @Test
    void rejectsNonFiniteSnapshotNamingStepAndIndexAndKeepsThePreviousOne() {
        SnapshotDifferencer d = new SnapshotDifferencer(3);
        d.accept(0, new float[] {1, 2, 3});
        NumericException e = assertThrows(NumericException.class,
                () -> d.accept(100, new float[] {1, Float.NEGATIVE_INFINITY, 3}));
        assertTrue(e.getMessage().contains("step 100") && e.getMessage().contains("index 1"), e.getMessage());
        assertArrayEquals(new float[] {1, 1, 1}, d.accept(200, new float[] {2, 3, 4}).orElseThrow());
    }

    @Test
    void rejectsWrongLengthAndNonIncreasingSteps() {
        SnapshotDifferencer d = new SnapshotDifferencer(3);
        assertThrows(IllegalArgumentException.class, () -> d.accept(0, new float[2]));
        d.accept(5, new float[3]);
        assertThrows(IllegalArgumentException.class, () -> d.accept(4, new float[3]));
    }
}
