package dev.sedge.api.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeStatisticsTests {

    @Test
    void ratiosAreConsecutiveSingularValueQuotients() {
        assertArrayEquals(new double[] {2, 2, 2}, EdgeStatistics.ratios(new double[] {4, 2, 1, 0.5}), 0);
    }

    @Test
    void aRatioAgainstAZeroSingularValueIsUndefinedAndNeverTheEdge() {
        double[] r = EdgeStatistics.ratios(new double[] {3, 2.9, 1, 0, 0});
        assertEquals(4, r.length);
        assertEquals(2.9, r[1], 1e-15);
        assertTrue(Double.isNaN(r[2]) && Double.isNaN(r[3]), "σ_4 = 0: R_3 measures the rank, not a gap");
        assertEquals(2, EdgeStatistics.kstar(r), "the largest defined ratio, not the rank");
        assertEquals(2, EdgeStatistics.kstarWeighted(new double[] {3, 2.9, 1, 0, 0}, r));
    }

    @Test
    void aWindowOfRankOneHasKstarOneWithAnUndefinedRatio() {
        double[] r = EdgeStatistics.ratios(new double[] {3, 0, 0});
        assertTrue(Double.isNaN(r[0]) && Double.isNaN(r[1]));
        assertEquals(1, EdgeStatistics.kstar(r));
        assertEquals(1, EdgeStatistics.kstarWeighted(new double[] {0, 0, 0}, EdgeStatistics.ratios(new double[3])));
    }

    @Test
    void kstarTakesTheLargestRatioAndTheSmallestIndexOnTies() {
        assertEquals(1, EdgeStatistics.kstar(new double[] {2, 2, 2}));
        assertEquals(2, EdgeStatistics.kstar(EdgeStatistics.ratios(new double[] {10, 9, 3, 2.9, 1})));
    }

    @Test
    void massWeightedKstarCanDifferFromThePlainOne() {
        double[] sigma = {10, 9, 3, 2.9, 0.5};
        double[] r = EdgeStatistics.ratios(sigma); // 1.11, 3, 1.03, 5.8
        assertEquals(4, EdgeStatistics.kstar(r));
        // weights σ_j/25.4: 0.437, 1.063, 0.122, 0.662
        assertEquals(2, EdgeStatistics.kstarWeighted(sigma, r));
    }

    @Test
    void g23IsTheDifferenceOfTheSecondAndThirdEigenvalues() {
        assertEquals(3.0, EdgeStatistics.g23(new double[] {9, 4, 1}));
        assertTrue(Double.isNaN(EdgeStatistics.g23(new double[] {9, 4})));
    }

    @Test
    void bbpThresholdUsesTheBottomHalfOfTheEigenvalues() {
        double[] lambda = {100, 50, 4, 2};
        // ν² = (4 + 2)/2 / 100 = 0.03; d_crit = sqrt(0.03) · (100 · 3)^{1/4}
        double expected = Math.sqrt(0.03) * Math.pow(300, 0.25);
        assertEquals(expected, EdgeStatistics.bbpThreshold(lambda, 100), 1e-15);
        assertEquals(0.720843, expected, 1e-6);
        assertEquals(4, EdgeStatistics.countAbove(new double[] {10, 7.07, 2, 1.41}, expected));
        assertEquals(2, EdgeStatistics.countAbove(new double[] {10, 7.07, 0.5, 0.1}, expected));
    }

    @Test
    void aSpectralWindowReadsTheSameStatistics() {
        double[] sigma = {10, 9, 3, 2.9, 0.5};
        SpectralWindow window = new SpectralWindow(7, sigma, Map.of());
        double[] lambda = window.eigenvalues();
        assertArrayEquals(EdgeStatistics.ratios(sigma), window.ratios(), 0);
        assertEquals(4, window.kstar(false));
        assertEquals(2, window.kstar(true));
        assertEquals(EdgeStatistics.g23(lambda), window.g23(), 0);
        assertEquals(81 - 9, window.g23(), 1e-12);
        assertEquals(EdgeStatistics.bbpThreshold(lambda, 1000), window.bbpThreshold(1000), 0);
    }
}
