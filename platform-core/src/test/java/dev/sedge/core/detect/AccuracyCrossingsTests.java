package dev.sedge.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sedge.core.run.MetricsTable;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AccuracyCrossingsTests {

    private static final double NAN = Double.NaN;

    /** test_acc 0.1, NaN, 0.5, 0.96, 0.94, 0.995 at steps 0, 50, 100, 150, 200, 250. */
    private static MetricsTable metrics() {
        double[] acc = {0.1, NAN, 0.5, 0.96, 0.94, 0.995};
        double[][] rows = new double[acc.length][];
        long[] steps = new long[acc.length];
        for (int i = 0; i < acc.length; i++) {
            steps[i] = 50L * i;
            rows[i] = new double[] {1.0, 1.0, 0.9, acc[i], 0.7};
        }
        return new MetricsTable(List.of("train_loss", "test_loss", "train_acc", "test_acc", "add_acc"), steps, rows);
    }

    @Test
    void findsTheFirstEvaluationAtOrAboveEachThreshold() {
        AccuracyCrossings c = AccuracyCrossings.of(metrics(), AccuracyCrossings.STANDARD);

        assertEquals(OptionalLong.of(100), c.at(0.5), "0.5 counts as reached at exactly 0.5");
        assertEquals(OptionalLong.of(150), c.at(0.95), "the first crossing, although it dips after");
        assertEquals(OptionalLong.of(250), c.at(0.99));
        assertEquals(List.of(0.5, 0.95, 0.99), c.thresholds());
    }

    @Test
    void isEmptyForAThresholdNeverReached() {
        assertEquals(OptionalLong.empty(), AccuracyCrossings.firstAtOrAbove(metrics(), "test_acc", 0.999));
        assertEquals(OptionalLong.empty(), AccuracyCrossings.firstAtOrAbove(metrics(), "add_acc", 0.95));
        assertEquals(OptionalLong.of(0), AccuracyCrossings.firstAtOrAbove(metrics(), "add_acc", 0.7));
    }

    @Test
    void refusesAThresholdThatWasNotComputed() {
        AccuracyCrossings c = new AccuracyCrossings(Map.of(0.5, OptionalLong.of(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.at(0.99));
        assertEquals("t(0.99) was not computed; thresholds: [0.5]", e.getMessage());
    }
}
