package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowGeometryTests {

    @Test
    void centeringTheGramEqualsTheGramOfCenteredRows() {
        float[][] rows = PlantedSpectrum.gaussianRows(5, 300, 4);
        for (float[] row : rows) {
            row[0] += 3;
        }
        double[][] g = PlantedSpectrum.directGram(rows, false);
        double err = PlantedSpectrum.relativeMaxError(WindowGeometry.centered(g), PlantedSpectrum.directGram(rows, true));
        assertTrue(err < 1e-12, "relative error " + err);
    }

    @Test
    void largestPrincipalAngleComesFromTheSmallestSingularValueOfTheCosines() {
        double c30 = Math.cos(Math.toRadians(30));
        assertEquals(0.0, WindowGeometry.largestPrincipalAngle(new double[][] {{1, 0}, {0, -1}}, 2), 1e-6);
        assertEquals(30.0, WindowGeometry.largestPrincipalAngle(new double[][] {{c30, 0}, {0, 1}}, 2), 1e-6);
        // swapped directions span the same plane: no angle
        assertEquals(0.0, WindowGeometry.largestPrincipalAngle(new double[][] {{0, 1}, {1, 0}}, 2), 1e-6);
        assertTrue(Double.isNaN(WindowGeometry.largestPrincipalAngle(new double[][] {{Double.NaN}}, 1)));
    }

    @Test
    void davisKahanAlphaIsZeroWithoutAGapAndNaNWithoutAPreviousWindow() {
        double[] alpha = WindowGeometry.alphaDavisKahan(new double[] {10, 6, 6, 1}, 2);
        assertArrayEquals(new double[] {1 - 4.0 / 16, 0, 1 - 4.0 / 25}, alpha, 1e-15);
        assertTrue(Double.isNaN(WindowGeometry.alphaDavisKahan(new double[] {2, 1}, Double.NaN)[0]));
    }

    @Test
    void adiabaticParameterIsZeroForNoChangeAndInfiniteWithoutAGap() {
        double[] lambda = {10, 4, 4};
        assertEquals(0.0, WindowGeometry.adiabatic(0, 1e-3, lambda, 2));
        assertEquals(Double.POSITIVE_INFINITY, WindowGeometry.adiabatic(1, 1e-3, lambda, 2));
        assertEquals(1.0 / (0.1 * 36), WindowGeometry.adiabatic(1, 0.1, lambda, 1), 1e-15);
        assertTrue(Double.isNaN(WindowGeometry.adiabatic(1, Double.NaN, lambda, 1)));
    }
}
