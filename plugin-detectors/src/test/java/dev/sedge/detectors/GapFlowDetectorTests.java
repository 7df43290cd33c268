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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GapFlowDetectorTests {

    private static final double EXACT = 1e-12;

    private final GapFlowDetector detector = new GapFlowDetector();

    /** The detector's defaults but a span of 3 windows, with {@code values} over them. */
    private PluginConfig config(Map<String, ?> values) {
        Map<String, Object> merged = new HashMap<>(Map.of("span", 3));
        merged.putAll(values);
        return PluginConfig.of("detector.gap-flow", detector.descriptor(), merged);
    }

    /**
     * Windows at steps 100·(i+1) with the given test accuracy, grad% on v_1 and rotation of v_1; a NaN share
     * or rotation leaves that metric out of the window (as the host does where it has none).
     */
    private static List<SpectralWindow> series(double[] testAcc, double[] share, double[] rotation) {
        List<SpectralWindow> windows = new ArrayList<>();
        for (int i = 0; i < testAcc.length; i++) {
            Map<String, Double> metrics = new HashMap<>(Map.of("test_acc", testAcc[i]));
            if (!Double.isNaN(share[i])) {
                metrics.put(SpectralWindow.EDGE_GRADIENT_SHARE, share[i]);
            }
            if (!Double.isNaN(rotation[i])) {
                metrics.put(SpectralWindow.EDGE_ROTATION, rotation[i]);
            }
            windows.add(new SpectralWindow(100L * (i + 1), new double[] {3, 2, 1}, metrics));
        }
        return windows;
    }

    private static final double[] ACC = {0.1, 0.3, 0.6, 0.97, 0.99, 1.0};

    @Test
    void passesTheDetectorContract() {
        DetectorContract.check(detector, config(Map.of()),
                series(ACC, new double[] {0.9, 0.9, 0.8, 0.7, 0.6, 0.6}, new double[] {30, 30, 30, 30, 30, 30}));
    }

    @Test
    void readsTheGradientShareAndTheRotationAsHostMetrics() {
        assertEquals(Set.of("edge_grad_share", "edge_rotation_deg"), detector.hostMetrics());
    }

    @Test
    void callsAnEdgeTheGradientStillDrivesAtTheTransitionFunctional() {
        DetectorSummary summary = run(config(Map.of()),
                series(ACC, new double[] {0.9, 0.95, 0.8, 0.7, 0.2, 0.1}, new double[] {40, 40, 40, 40, 5, 5}));

        EdgeEvent event = summary.events().getFirst();
        assertEquals("functional", event.kind());
        assertEquals(600, event.step()); // decided at the third window from the transition
        assertEquals(400, event.values().get("transition_step"), EXACT);
        assertEquals(600, summary.statistics().get("fire_step"), EXACT);
        assertEquals((0.9 + 0.95 + 0.8) / 3, event.values().get("grad_share_before"), 1e-12);
        assertEquals(0.7, event.values().get("grad_share_at"), EXACT);
        assertEquals(0.2, event.values().get("grad_share_after"), EXACT); // median of 0.7, 0.2, 0.1
        assertEquals(0, summary.statistics().get("class_code"), EXACT);
    }

    @Test
    void callsAnEdgeWeightDecayAloneMovesWhileFrozenCompression() {
        DetectorSummary summary = run(config(Map.of()),
                series(ACC, new double[] {0.9, 0.9, 0.9, 0.009, 0.004, 0.002}, new double[] {50, 50, 50, 12, 8, 6}));

        EdgeEvent event = summary.events().getFirst();
        assertEquals("compression", event.kind());
        assertEquals(0.004, event.values().get("grad_share_after"), EXACT);
        assertEquals(8, event.values().get("rotation_after_deg"), EXACT);
        assertEquals(2, summary.statistics().get("class_code"), EXACT);
    }

    @Test
    void callsAnEdgeWeightDecayDominatesButThatStillTurnsMixed() {
        DetectorSummary summary = run(config(Map.of()),
                series(ACC, new double[] {0.9, 0.9, 0.9, 0.009, 0.004, 0.002}, new double[] {50, 50, 50, 40, 30, 60}));
        assertEquals("mixed", summary.events().getFirst().kind());
        assertEquals(40, summary.events().getFirst().values().get("rotation_after_deg"), EXACT);
    }

    @Test
    void callsAnEdgeTheTwoPartsShareMixedEvenWhenFrozen() {
        DetectorSummary summary = run(config(Map.of()),
                series(ACC, new double[] {0.9, 0.9, 0.9, 0.03, 0.03, 0.03}, new double[] {5, 5, 5, 5, 5, 5}));
        assertEquals("mixed", summary.events().getFirst().kind());
    }

    @Test
    void takesTheFirstShareFromTheTransitionOnWhenTheTransitionWindowHasNone() {
        DetectorSummary summary = run(config(Map.of("span", 2)), series(new double[] {0.99, 1.0, 1.0, 1.0},
                new double[] {Double.NaN, 0.004, 0.002, 0.9}, new double[] {Double.NaN, 5, 5, 80}));

        EdgeEvent event = summary.events().getFirst();
        assertEquals(300, event.step());
        assertEquals(100, event.values().get("transition_step"), EXACT);
        assertFalse(event.values().containsKey("grad_share_before"));
        assertEquals(0.004, event.values().get("grad_share_at"), EXACT);
        assertEquals("compression", event.kind()); // the fourth window comes after the span and changes nothing
        assertEquals(3, summary.statistics().get("windows_with_share"), EXACT);
        assertEquals(2, summary.statistics().get("windows_after"), EXACT);
    }

    @Test
    void firesNothingWithoutATransition() {
        DetectorSummary summary = run(config(Map.of()), series(new double[] {0.1, 0.5, 0.9},
                new double[] {0.9, 0.5, 0.1}, new double[] {5, 5, 5}));
        assertTrue(summary.events().isEmpty());
        assertEquals(0, summary.statistics().get("transitioned"), EXACT);
        assertFalse(summary.statistics().containsKey("transition_step"));
    }

    @Test
    void firesNothingWhenFewerThanSpanWindowsFromTheTransitionOnHaveAShare() {
        DetectorSummary summary = run(config(Map.of()), series(new double[] {0.1, 0.99, 1.0, 1.0},
                new double[] {0.9, Double.NaN, 0.01, 0.01}, new double[] {5, 5, 5, 5}));
        assertTrue(summary.events().isEmpty());
        assertEquals(200, summary.statistics().get("transition_step"), EXACT);
        assertEquals(2, summary.statistics().get("windows_after"), EXACT);
        assertFalse(summary.statistics().containsKey("fire_step"));
    }

    @Test
    void takesItsThresholdsFromTheConfiguration() {
        double[] share = {0.9, 0.9, 0.9, 0.05, 0.05, 0.05};
        double[] rotation = {5, 5, 5, 5, 5, 5};
        assertEquals("mixed", run(config(Map.of()), series(ACC, share, rotation)).events().getFirst().kind());
        assertEquals("functional", run(config(Map.of("functional", 0.05)), series(ACC, share, rotation))
                .events().getFirst().kind());
        assertEquals("compression", run(config(Map.of("compression", 0.05)), series(ACC, share, rotation))
                .events().getFirst().kind());
        assertEquals("mixed", run(config(Map.of("compression", 0.05, "frozen", 4)), series(ACC, share, rotation))
                .events().getFirst().kind());
        EdgeEvent late = run(config(Map.of("threshold", 0.99, "span", 2)), series(ACC, share, rotation)).events()
                .getFirst();
        assertEquals(500, late.values().get("transition_step"), EXACT);
        assertEquals(600, late.step());
    }

    @Test
    void refusesThresholdsOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("compression", 0.2))));
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("frozen", 91))));
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("metric", " "))));
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("span", 0))));
    }

    private DetectorSummary run(PluginConfig config, List<SpectralWindow> series) {
        DetectorRun run = detector.open(config);
        series.forEach(run::accept);
        return run.finish();
    }
}
