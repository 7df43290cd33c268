package dev.sedge.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.testkit.DetectorContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class EigengapSlopeDetectorTests {

    private final EigengapSlopeDetector detector = new EigengapSlopeDetector();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("detector.eigengap-slope", detector.descriptor(), values);
    }

    /** One window per step 1..steps of width 5, with λ2/λ3 = ratio(step), λ3 = 1. */
    private static List<SpectralWindow> series(long steps, LongToDoubleFunction ratio) {
        List<SpectralWindow> windows = new ArrayList<>();
        for (long t = 1; t <= steps; t++) {
            double r = ratio.applyAsDouble(t);
            windows.add(new SpectralWindow(t, new double[] {Math.sqrt(4 * r), Math.sqrt(r), 1, 0.5, 0.1}, Map.of()));
        }
        return windows;
    }

    /** ln r flat at 0 until step 150, then rising at 0.06 per step. */
    private static double lockInAt150(long t) {
        return Math.exp(t < 150 ? 0 : 0.06 * (t - 150));
    }

    @Test
    void passesTheDetectorContract() {
        DetectorContract.check(detector, config(Map.of()), series(400, EigengapSlopeDetectorTests::lockInAt150));
    }

    @Test
    void firesAtTheFirstStepWhoseSlopeExceedsTheThreshold() {
        DetectorSummary summary = run(config(Map.of()), series(400, EigengapSlopeDetectorTests::lockInAt150));

        // s(t) = 0.06 (t - 150) / 25 > 0.04  ⇔  t - 150 > 16.67  ⇔  t = 167
        assertEquals(1, summary.events().size());
        assertEquals(167, summary.events().getFirst().step());
        assertEquals("lock-in", summary.events().getFirst().kind());
        assertEquals(0.06 * 17 / 25, summary.events().getFirst().values().get("slope"), 1e-12);
    }

    @Test
    void neverFiresBeforeTheMinimumStep() {
        DetectorSummary summary = run(config(Map.of("min-step", 300)),
                series(400, EigengapSlopeDetectorTests::lockInAt150));
        assertEquals(300, summary.events().getFirst().step());
    }

    @Test
    void staysSilentOnAFlatSeries() {
        DetectorSummary summary = run(config(Map.of()), series(400, t -> 1.3));

        assertTrue(summary.events().isEmpty());
        assertEquals(1.3, summary.statistics().get("late_ratio"), 1e-12);
        assertEquals(0, summary.statistics().get("max_slope"), 1e-12);
    }

    @Test
    void reportsTheMedianRatioOverTheLateRange() {
        DetectorSummary summary = run(config(Map.of("late-from", 10, "late-to", 12)), series(20, t -> t));
        assertEquals(11, summary.statistics().get("late_ratio"), 1e-9);
    }

    @Test
    void usesSingularValuesWhenAsked() {
        DetectorSummary eigen = run(config(Map.of("late-from", 1, "late-to", 1)), series(5, t -> 9));
        DetectorSummary singular = run(config(Map.of("late-from", 1, "late-to", 1, "convention", "singular")),
                series(5, t -> 9));
        assertEquals(9, eigen.statistics().get("late_ratio"), 1e-12);
        assertEquals(3, singular.statistics().get("late_ratio"), 1e-12);
    }

    @Test
    void refusesAnUnknownConvention() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> detector.open(config(Map.of("convention", "both"))));
        assertTrue(e.getMessage().contains("detector.eigengap-slope.convention"), e.getMessage());
    }

    private DetectorSummary run(PluginConfig config, List<SpectralWindow> series) {
        DetectorRun run = detector.open(config);
        series.forEach(run::accept);
        return run.finish();
    }
}
