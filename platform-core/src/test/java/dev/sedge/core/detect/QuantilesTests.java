package dev.sedge.core.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantilesTests {

    private static final double EXACT = 1e-12;

    @Test
    void interpolatesLinearlyBetweenOrderStatisticsLikeNumpy() {
        double[] x = {4, 1, 3, 2};
        // np.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) = [1.75, 2.5, 3.25]
        assertEquals(1.75, Quantiles.quantile(x, 0.25), EXACT);
        assertEquals(2.5, Quantiles.median(x), EXACT);
        assertEquals(3.25, Quantiles.quantile(x, 0.75), EXACT);
        assertEquals(1, Quantiles.quantile(x, 0), EXACT);
        assertEquals(4, Quantiles.quantile(x, 1), EXACT);
        assertArrayEquals(new double[] {4, 1, 3, 2}, x, "not modified");
    }

    @Test
    void givesTheMiddleValueOfAnOddSample() {
        assertEquals(3, Quantiles.median(new double[] {5, 1, 3}), EXACT);
        assertEquals(7, Quantiles.median(new double[] {7}), EXACT);
    }

    @Test
    void spreadsFireStepsIntoMedianAndQuartiles() {
        // sorted 173 173 174 174 174 175: h(0.25) = 1.25 → 173.25; h(0.5) = 2.5 → 174; h(0.75) = 3.75 → 174
        Spread s = Spread.of(new double[] {174, 173, 175, 174, 173, 174}).orElseThrow();
        assertEquals(6, s.count());
        assertEquals(174, s.median(), EXACT);
        assertEquals(173.25, s.lowerQuartile(), EXACT);
        assertEquals(174, s.upperQuartile(), EXACT);
        assertEquals(0.75, s.iqr(), EXACT);
    }

    @Test
    void spreadsFiveValuesOnTheirOrderStatistics() {
        // np.quantile([10, 20, 30, 40, 100], [0.25, 0.5, 0.75]) = [20, 30, 40]
        Spread s = Spread.of(new double[] {100, 10, 40, 20, 30}).orElseThrow();
        assertEquals(new Spread(5, 30, 20, 40), s);
        assertEquals(20, s.iqr(), EXACT);
    }

    @Test
    void hasNoSpreadOfNothing() {
        assertTrue(Spread.of(new double[0]).isEmpty());
    }

    @Test
    void refusesNaNAndLevelsOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.median(new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[] {1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.median(new double[0]));
    }
}
