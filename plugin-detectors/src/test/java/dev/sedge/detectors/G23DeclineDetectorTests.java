package dev.sedge.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.testkit.DetectorContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class G23DeclineDetectorTests {

    private static final double EXACT = 1e-12;

    private final G23DeclineDetector detector = new G23DeclineDetector();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("detector.g23-decline", detector.descriptor(), values);
    }

    /** A window of width 4 with λ3 = 1 and g23 = λ2 − λ3 = g exactly. */
    private static SpectralWindow window(long step, double g23, Map<String, Double> metrics) {
        double l2 = 1 + g23;
        return new SpectralWindow(step, new double[] {Math.sqrt(l2 + 5), Math.sqrt(l2), 1, Math.sqrt(0.5)}, metrics);
    }

    /** Windows at steps 100·(i+1) with the given g23 and test accuracy. */
    private static List<SpectralWindow> series(double[] g23, double[] testAcc) {
        List<SpectralWindow> windows = new ArrayList<>();
        for (int i = 0; i < g23.length; i++) {
            windows.add(window(100L * (i + 1), g23[i], Map.of("test_acc", testAcc[i], "train_acc", 1.0)));
        }
        return windows;
    }

    /** g23 peaks at 40 (step 400) and falls to 2 by step 700, where test accuracy first reaches 0.96. */
    private static final double[] GROKKING_G23 = {5, 20, 30, 40, 25, 10, 2, 1.5, 1};
    private static final double[] GROKKING_ACC = {0.01, 0.02, 0.05, 0.1, 0.3, 0.8, 0.96, 0.99, 1.0};

    @Test
    void passesTheDetectorContract() {
        DetectorContract.check(detector, config(Map.of()), series(GROKKING_G23, GROKKING_ACC));
    }

    @Test
    void firesAtTheGrokkingStepWithThePeakBeforeItOverG23AtIt() {
        DetectorSummary summary = run(config(Map.of()), series(GROKKING_G23, GROKKING_ACC));

        assertEquals(1, summary.events().size());
        EdgeEvent event = summary.events().getFirst();
        assertEquals(700, event.step());
        assertEquals("g23-decline", event.kind());
        assertEquals(40.0 / 2.0, event.values().get("decline"), 1e-9);
        assertEquals(400, event.values().get("peak_step"), EXACT);
        Map<String, Double> s = summary.statistics();
        assertEquals(1, s.get("grokked"), EXACT);
        assertEquals(700, s.get("grokking_step"), EXACT);
        assertEquals(20, s.get("decline"), 1e-9);
        assertEquals(40, s.get("peak_g23"), 1e-9);
        assertEquals(2, s.get("g23_at_grokking"), 1e-9);
        assertEquals(700, s.get("fire_step"), EXACT);
    }

    @Test
    void reportsTheDeclineBelowTheThresholdWithoutFiring() {
        DetectorSummary summary = run(config(Map.of()),
                series(new double[] {2, 2.5, 2.8, 2}, new double[] {0.1, 0.2, 0.5, 0.97}));

        assertTrue(summary.events().isEmpty());
        assertEquals(2.8 / 2.0, summary.statistics().get("decline"), 1e-9);
        assertFalse(summary.statistics().containsKey("fire_step"));
    }

    @Test
    void leavesTheGrokkingWindowItselfOutOfThePeak() {
        DetectorSummary summary = run(config(Map.of()),
                series(new double[] {2, 2, 10}, new double[] {0.1, 0.2, 0.95}));
        assertEquals(0.2, summary.statistics().get("decline"), 1e-9);
    }

    @Test
    void saysSoWhenTestAccuracyNeverReachesTheThreshold() {
        DetectorSummary summary = run(config(Map.of()),
                series(new double[] {5, 40, 2, 1}, new double[] {0.1, 0.5, 0.9, 0.94}));

        assertTrue(summary.events().isEmpty());
        assertEquals(0, summary.statistics().get("grokked"), EXACT);
        assertFalse(summary.statistics().containsKey("decline"));
        assertFalse(summary.statistics().containsKey("grokking_step"));
        assertEquals(40, summary.statistics().get("max_g23"), 1e-9);
    }

    @Test
    void takesTheGrokkingThresholdFromTheConfiguration() {
        DetectorSummary summary = run(config(Map.of("threshold", 0.5)), series(GROKKING_G23, GROKKING_ACC));
        // t_g = 600 (0.8 >= 0.5): peak 40 over g23 = 10
        assertEquals(600, summary.events().getFirst().step());
        assertEquals(4, summary.statistics().get("decline"), 1e-9);
    }

    @Test
    void firesOnlyAboveTheConfiguredMinimumDecline() {
        DetectorSummary summary = run(config(Map.of("min-decline", 25)), series(GROKKING_G23, GROKKING_ACC));
        assertTrue(summary.events().isEmpty());
        assertEquals(20, summary.statistics().get("decline"), 1e-9);
    }

    @Test
    void treatsAZeroG23AtGrokkingAsAnInfiniteDecline() {
        DetectorSummary summary = run(config(Map.of()),
                series(new double[] {3, 0}, new double[] {0.1, 1.0}));
        assertEquals(Double.POSITIVE_INFINITY, summary.statistics().get("decline"));
        assertEquals(1, summary.events().size());
    }

    @Test
    void hasNoDeclineWhenGrokkingIsAtTheFirstWindow() {
        DetectorSummary summary = run(config(Map.of()), series(new double[] {3, 1}, new double[] {0.99, 1.0}));
        assertEquals(1, summary.statistics().get("grokked"), EXACT);
        assertEquals(100, summary.statistics().get("grokking_step"), EXACT);
        assertFalse(summary.statistics().containsKey("decline"));
    }

    @Test
    void countsWindowsWithoutTheMetricAndNeverGroksWithoutIt() {
        List<SpectralWindow> windows = List.of(window(1, 10, Map.of()), window(2, 1, Map.of("train_acc", 1.0)));
        DetectorSummary summary = run(config(Map.of()), windows);
        assertEquals(0, summary.statistics().get("grokked"), EXACT);
        assertEquals(2, summary.statistics().get("windows_without_metric"), EXACT);
    }

    @Test
    void readsAnotherMetricWhenAsked() {
        List<SpectralWindow> windows = List.of(window(1, 10, Map.of("add_acc", 0.1)),
                window(2, 1, Map.of("add_acc", 0.99)));
        DetectorSummary summary = run(config(Map.of("metric", "add_acc")), windows);
        assertEquals(10, summary.statistics().get("decline"), 1e-9);
    }

    @Test
    void refusesWindowsNarrowerThanThree() {
        DetectorRun run = detector.open(config(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run.accept(new SpectralWindow(1, new double[] {2, 1}, Map.of())));
        assertTrue(e.getMessage().contains("W >= 3"), e.getMessage());
    }

    @Test
    void refusesANonPositiveMinimumDecline() {
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("min-decline", 0))));
    }

    private DetectorSummary run(PluginConfig config, List<SpectralWindow> series) {
        DetectorRun run = detector.open(config);
        series.forEach(run::accept);
        return run.finish();
    }
}
