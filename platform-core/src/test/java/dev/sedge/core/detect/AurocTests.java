package dev.sedge.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AurocTests {

    private static final double EXACT = 1e-12;

    @Test
    void countsTiesAsHalf() {
        // pairs (x, y): (3,2) 1, (3,1) 1, (2,2) ½, (2,1) 1, (2,2) ½, (2,1) 1 → U = 5 of 6
        Auroc a = Auroc.of(new double[] {3, 2, 2}, new double[] {2, 1}).orElseThrow();
        assertEquals(5.0 / 6.0, a.value(), EXACT);
        assertEquals(3, a.positives());
        assertEquals(2, a.negatives());
    }

    @Test
    void isOneForPerfectSeparationZeroReversedAndHalfForIdenticalScores() {
        assertEquals(1, Auroc.of(new double[] {300, 280}, new double[] {1.3, 1.2, 1.4}).orElseThrow().value(), EXACT);
        assertEquals(0, Auroc.of(new double[] {1, 2}, new double[] {3}).orElseThrow().value(), EXACT);
        assertEquals(0.5, Auroc.of(new double[] {2, 2}, new double[] {2, 2, 2}).orElseThrow().value(), EXACT);
    }

    @Test
    void ordersInfiniteStatisticsAndTiesThemToo() {
        double inf = Double.POSITIVE_INFINITY;
        // (∞,∞) ½, (∞,5) 1, (4,∞) 0, (4,5) 0 → 1.5 of 4
        assertEquals(0.375, Auroc.of(new double[] {inf, 4}, new double[] {inf, 5}).orElseThrow().value(), EXACT);
    }

    @Test
    void isAbsentWithoutOneOfTheGroups() {
        assertTrue(Auroc.of(new double[] {1}, new double[0]).isEmpty());
        assertTrue(Auroc.of(new double[0], new double[] {1}).isEmpty());
    }
}
