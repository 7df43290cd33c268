package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.NumericException;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpectralEngineTests {

    private static final double[] PLANTED = {9, 6, 4, 3, 2.5, 2, 1.5, 1};

    private static List<WindowSpectrum> feed(SpectralEngine engine, float[][] rows, long firstStep) {
        List<WindowSpectrum> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            engine.accept(firstStep + 100L * i, rows[i]).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void recoversPlantedSingularValuesToOneInAMillionAndDirectionsUpToSign() {
        PlantedSpectrum planted = new PlantedSpectrum(8, 50_001, PLANTED, 11);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(8), 50_001);
        List<WindowSpectrum> windows = feed(engine, planted.rows, 100);
        assertEquals(1, windows.size());
        WindowSpectrum w = windows.getFirst();
        assertEquals(800, w.step());
        assertEquals(100, w.firstStep());
        for (int j = 1; j <= 8; j++) {
            double s = PLANTED[j - 1];
            assertEquals(s, w.sigma(j), 1e-6 * s, "sigma_" + j);
            assertEquals(s * s, w.lambda(j), 2e-6 * s * s, "lambda_" + j);
        }
        float[][] v = engine.edgeDirections(8);
        for (int j = 0; j < 8; j++) {
            double dot = 0;
            for (int c = 0; c < v[j].length; c++) {
                dot += v[j][c] * planted.v[j][c];
            }
            double sign = Math.signum(dot);
            double err = 0;
            for (int c = 0; c < v[j].length; c++) {
                double d = v[j][c] - sign * planted.v[j][c];
                err += d * d;
            }
            assertTrue(Math.sqrt(err) < 1e-5, "v_" + (j + 1) + " off by " + Math.sqrt(err));
        }
        assertArrayEquals(v[2], engine.edgeDirection(3));
    }

    @ParameterizedTest(name = "centered={0}, stride={1}")
    @CsvSource({"false,1", "true,1", "false,3", "true,3"})
    void incrementalGramEqualsDirectRecomputationAfterManySlides(boolean centered, int stride) {
        int w = 6;
        int p = 20_011;
        float[][] rows = PlantedSpectrum.gaussianRows(41, p, 5);
        for (int i = 0; i < rows.length; i++) { // a drift, so that centering matters
            for (int c = 0; c < p; c++) {
                rows[i][c] += 0.7f + 0.01f * i;
            }
        }
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w).withStride(stride).withCentering(centered), p);
        int emitted = 0;
        for (int i = 0; i < rows.length; i++) {
            Optional<WindowSpectrum> window = engine.accept(i, rows[i]);
            boolean due = i + 1 >= w && (i + 1 - w) % stride == 0;
            assertEquals(due, window.isPresent(), "emission after update " + (i + 1));
            if (window.isPresent()) {
                emitted++;
                float[][] last = java.util.Arrays.copyOfRange(rows, i - w + 1, i + 1);
                double[][] direct = PlantedSpectrum.directGram(last, centered);
                double err = PlantedSpectrum.relativeMaxError(engine.gram(), direct);
                assertTrue(err < 1e-6, "Gram relative error " + err + " after update " + (i + 1));
            }
        }
        assertEquals((rows.length - w) / stride + 1, emitted);
    }

    @Test
    void rejectsNanUpdateNamingStepAndIndexAndStaysUsable() {
        int p = 5_000;
        float[][] rows = PlantedSpectrum.gaussianRows(5, p, 3);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(3), p);
        engine.accept(100, rows[0]);
        engine.accept(200, rows[1]);
        float[] bad = rows[2].clone();
        bad[1234] = Float.NaN;
        bad[4000] = Float.POSITIVE_INFINITY;
        NumericException e = assertThrows(NumericException.class, () -> engine.accept(300, bad));
        assertTrue(e.getMessage().contains("step 300"), e.getMessage());
        assertTrue(e.getMessage().contains("index 1234"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(2, engine.updates());
        WindowSpectrum w = engine.accept(300, rows[2]).orElseThrow();
        assertEquals(300, w.step());
        double[][] direct = PlantedSpectrum.directGram(new float[][] {rows[0], rows[1], rows[2]}, false);
        assertTrue(PlantedSpectrum.relativeMaxError(engine.gram(), direct) < 1e-6);
    }

    @Test
    void rejectsUpdateOfWrongLengthAndStepsThatDoNotIncrease() {
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(3), 10);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> engine.accept(1, new float[9]));
        assertTrue(length.getMessage().contains("expected p = 10"), length.getMessage());
        engine.accept(5, new float[10]);
        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> engine.accept(5, new float[10]));
        assertTrue(step.getMessage().contains("step 5 came after step 5"), step.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.accept(6, new float[10], -1e-3));
    }

    @Test
    void refusesAWindowThatCannotFitInTheHeapAndSuggestsASketch() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new SpectralEngine(SpectralOptions.of(20), Integer.MAX_VALUE - 8));
        assertTrue(e.getMessage().contains("sketch") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void centeredWindowHasAStructuralZeroAndNoLastRatio() {
        int p = 3_001;
        float[][] rows = PlantedSpectrum.gaussianRows(5, p, 8);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(5).withCentering(true), p);
        WindowSpectrum w = feed(engine, rows, 0).getFirst();
        assertEquals(0.0, w.sigma(5));
        assertTrue(Double.isNaN(w.ratio(4)));
        assertTrue(w.kstar() <= 3 && w.kstarWeighted() <= 3);
        assertTrue(w.sigma(4) > 0.5 * Math.sqrt(p), "rank W−1 = 4 stays");
        assertTrue(w.centered());
    }

    @Test
    void allZeroWindowHasZeroSpectrumUndefinedRatiosAndNoDirections() {
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(4), 100);
        WindowSpectrum w = feed(engine, new float[4][100], 0).getFirst();
        assertArrayEquals(new double[4], w.sigma());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, w.ratios());
        assertEquals(1, w.kstar());
        assertEquals(1, w.kstarWeighted());
        assertEquals(0.0, w.g23());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.edgeDirections(1));
        assertTrue(e.getMessage().contains("rank 0"), e.getMessage());
    }

    @Test
    void detectorsReadTheEdgeThatSpectrumCsvHasEvenForAFrozenGroup() {
        int p = 1_000;
        float[][] rows = new PlantedSpectrum(6, p, new double[] {9, 8, 3, 2.5, 2, 1.5}, 11).rows;
        rows[4] = new float[p]; // a repeated snapshot: a zero update, σ_6 = 0
        rows[5] = new float[p];
        for (boolean centered : new boolean[] {false, true}) {
            SpectralEngine engine = new SpectralEngine(SpectralOptions.of(6).withCentering(centered), p);
            WindowSpectrum w = feed(engine, rows, 0).getFirst();
            SpectralWindow seen = w.toSpectralWindow(Map.of());
            assertArrayEquals(w.ratios(), seen.ratios(), 0, "centered " + centered);
            assertEquals(w.kstar(), seen.kstar(false), "centered " + centered);
            assertEquals(w.kstarWeighted(), seen.kstar(true), "centered " + centered);
            assertEquals(w.g23(), seen.g23(), 1e-9 * w.lambda(1), "centered " + centered);
            assertEquals(0.0, w.sigma(5), "two zero updates: rank 4 uncentered, 4 centered");
            assertTrue(Double.isNaN(w.ratio(4)) && w.kstar() < 4, "R_4 is σ_4 / 0, not an edge: k* = " + w.kstar());
        }
    }

    @Test
    void windowsOverTheSameRowsInAnotherOrderHaveNoRotation() {
        int w = 5;
        int p = 4_000;
        float[][] basis = new PlantedSpectrum(w, p, new double[] {10, 7, 5, 3, 2}, 4).rows;
        float[][] rows = new float[3 * w][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = basis[i % w]; // every window holds the same set of rows
        }
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w), p);
        List<WindowSpectrum> windows = feed(engine, rows, 0);
        assertTrue(Double.isNaN(windows.getFirst().rotationDegrees(1)), "first window has nothing to compare with");
        assertTrue(Double.isNaN(windows.getFirst().deltaGramNorm()));
        for (WindowSpectrum win : windows.subList(1, windows.size())) {
            for (int j = 1; j <= w; j++) {
                assertEquals(0.0, win.rotationDegrees(j), 0.05, "rotation of v_" + j + " at step " + win.step());
            }
            assertEquals(0.0, win.edgeAngleDegrees(), 0.05);
            assertArrayEquals(windows.getFirst().sigma(), win.sigma(), 1e-9 * win.sigma(1));
        }
    }

    @ParameterizedTest(name = "centered={0}, stride={1}")
    @CsvSource({"false,2", "true,2", "false,7", "true,7"})
    void rotationAgreesWithAnglesBetweenTheDirectionsThemselves(boolean centered, int stride) {
        int w = 6;
        int p = 7_001;
        float[][] rows = PlantedSpectrum.gaussianRows(w + 4 * stride, p, 21);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w).withStride(stride).withCentering(centered), p);
        float[][] previous = null;
        int compared = 0;
        for (int i = 0; i < rows.length; i++) {
            Optional<WindowSpectrum> window = engine.accept(i, rows[i]);
            if (window.isEmpty()) {
                continue;
            }
            float[][] v = engine.edgeDirections(3);
            if (previous != null) {
                for (int j = 0; j < 3; j++) {
                    double dot = 0;
                    for (int c = 0; c < p; c++) {
                        dot += (double) v[j][c] * previous[j][c];
                    }
                    double expected = Math.toDegrees(Math.acos(Math.min(1, Math.abs(dot))));
                    assertEquals(expected, window.get().rotationDegrees(j + 1), 1e-3, "v_" + (j + 1));
                }
                compared++;
            }
            previous = v;
        }
        assertEquals(4, compared);
    }

    @ParameterizedTest(name = "centered={0}")
    @CsvSource({"false", "true"})
    void halfWindowStabilityAgreesWithEnginesOverEachHalf(boolean centered) {
        int w = 8;
        int p = 6_007;
        float[][] rows = new PlantedSpectrum(w, p, new double[] {12, 5, 4, 3, 2.5, 2, 1.5, 1}, 31).rows;
        SpectralEngine whole = new SpectralEngine(SpectralOptions.of(w).withCentering(centered), p);
        WindowSpectrum window = feed(whole, rows, 0).getFirst();
        SpectralEngine first = new SpectralEngine(SpectralOptions.of(4).withCentering(centered), p);
        SpectralEngine second = new SpectralEngine(SpectralOptions.of(4).withCentering(centered), p);
        feed(first, java.util.Arrays.copyOfRange(rows, 0, 4), 0);
        feed(second, java.util.Arrays.copyOfRange(rows, 4, 8), 0);
        int defined = centered ? 3 : 4;
        float[][] a = first.edgeDirections(defined);
        float[][] b = second.edgeDirections(defined);
        for (int j = 0; j < defined; j++) {
            double dot = 0;
            for (int c = 0; c < p; c++) {
                dot += (double) a[j][c] * b[j][c];
            }
            assertEquals(Math.abs(dot), window.alphaHalves()[j], 1e-5, "alpha_" + (j + 1));
        }
        if (centered) {
            assertTrue(Double.isNaN(window.alphaHalves()[3]), "a centered half of 4 rows has 3 directions");
        }
    }

    @Test
    void davisKahanAlphaAndAdiabaticParameterFollowTheirDefinitions() {
        int p = 2_000;
        float[][] rows = PlantedSpectrum.gaussianRows(6, p, 2);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(4), p);
        List<double[][]> grams = new ArrayList<>();
        List<WindowSpectrum> windows = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            engine.accept(i, rows[i], 1e-3).ifPresent(win -> {
                windows.add(win);
                grams.add(engine.gram());
            });
        }
        WindowSpectrum w = windows.get(2);
        double dg = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double d = grams.get(2)[i][j] - grams.get(1)[i][j];
                dg += d * d;
            }
        }
        dg = Math.sqrt(dg);
        assertEquals(dg, w.deltaGramNorm(), 1e-12 * dg);
        for (int j = 1; j <= 3; j++) {
            double gap = w.lambda(j) - w.lambda(j + 1);
            assertEquals(Math.max(0, 1 - dg * dg / (gap * gap)), w.alphaDavisKahan()[j - 1], 1e-12);
        }
        double g = w.lambda(w.kstar()) - w.lambda(w.kstar() + 1);
        assertEquals(dg / (1e-3 * g * g), w.adiabatic(), 1e-12 * w.adiabatic());
        assertEquals(1e-3, w.learningRate());
        assertTrue(Double.isNaN(windows.getFirst().adiabatic()));
    }

    @Test
    void edgeDirectionsDescribeOnlyTheLatestWindowOfAnExactEngine() {
        int p = 1_000;
        float[][] rows = PlantedSpectrum.gaussianRows(4, p, 9);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(3).withStride(2), p);
        assertThrows(IllegalStateException.class, () -> engine.edgeDirections(1));
        feed(engine, java.util.Arrays.copyOf(rows, 3), 0);
        assertEquals(p, engine.edgeDirection(1).length);
        assertTrue(engine.accept(1_000, rows[3]).isEmpty());
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> engine.edgeDirections(1));
        assertTrue(stale.getMessage().contains("until the next update"), stale.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.edgeDirections(4));

        SpectralEngine sketched = new SpectralEngine(SpectralOptions.of(3).withSketch(30, 1), p);
        feed(sketched, java.util.Arrays.copyOf(rows, 3), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sketched.edgeDirections(1));
        assertTrue(e.getMessage().contains("sketch"), e.getMessage());
    }

    @Test
    void resultsAreBitIdenticalWhateverTheThreadCount() {
        int p = 600_001; // three segments
        float[][] rows = PlantedSpectrum.gaussianRows(7, p, 17);
        List<WindowSpectrum> one = feed(new SpectralEngine(SpectralOptions.of(4).withThreads(1), p), rows, 0);
        SpectralEngine twoThreads = new SpectralEngine(SpectralOptions.of(4).withThreads(2), p);
        List<WindowSpectrum> two = feed(twoThreads, rows, 0);
        assertEquals(one, two);
        SpectralEngine single = new SpectralEngine(SpectralOptions.of(4).withThreads(1), p);
        feed(single, rows, 0);
        assertArrayEquals(single.edgeDirection(1), twoThreads.edgeDirection(1));
    }

    @Test
    void convertsToTheDetectorWindowInSigmaConvention() {
        float[][] rows = PlantedSpectrum.gaussianRows(3, 500, 1);
        WindowSpectrum w = feed(new SpectralEngine(SpectralOptions.of(3), 500), rows, 0).getFirst();
        var detectorWindow = w.toSpectralWindow(Map.of("test_acc", 0.5));
        assertArrayEquals(w.sigma(), detectorWindow.singularValues());
        assertEquals(w.step(), detectorWindow.step());
        assertEquals(w.lambda(2), detectorWindow.lambda(2), 1e-12 * w.lambda(2));
    }
}
