package dev.sedge.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class BbpDetectorTests {

    private static final double EXACT = 1e-12;

    private final BbpDetector detector = new BbpDetector();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("detector.bbp", detector.descriptor(), values);
    }

    /** Windows at steps 1, 2, … with the given singular values and metric dimension = p. */
    private static List<SpectralWindow> series(double p, double[]... sigmas) {
        List<SpectralWindow> windows = new ArrayList<>();
        for (int i = 0; i < sigmas.length; i++) {
            windows.add(new SpectralWindow(i + 1, sigmas[i], Map.of("dimension", p, "test_acc", 0.5)));
        }
        return windows;
    }

    // With W = 4 the bottom half is λ3, λ4: d_crit = sqrt((λ3 + λ4)/2 / p) · (3p)^{1/4}.
    private static final double[] FLAT = {1, 1, 1, 1};          // p = 1: d_crit = 3^{1/4} = 1.316, count 0
    private static final double[] TWO_OUT = {10, 5, 2, 1};      // p = 1: d_crit = sqrt(2.5)·3^{1/4} = 2.081, count 2
    private static final double[] STILL_TWO = {10, 1.5, 1, 1};  // d_crit = 1.316: 10 and 1.5 above
    private static final double[] ONE_OUT = {10, 1.2, 1, 1};    // d_crit = 1.316: only 10 above

    @Test
    void passesTheDetectorContract() {
        DetectorContract.check(detector, config(Map.of()), series(1, FLAT, TWO_OUT, STILL_TWO, ONE_OUT));
    }

    @Test
    void computesTheThresholdOfScienceSectionOne() {
        assertEquals(Math.sqrt(2.5) * Math.pow(3, 0.25), window(TWO_OUT).bbpThreshold(1), 1e-12);
        assertEquals(Math.sqrt(2.5 / 16) * Math.pow(48, 0.25), window(TWO_OUT).bbpThreshold(16), 1e-12);
        // W = 5: the bottom ⌊5/2⌋ = 2 eigenvalues
        assertEquals(Math.sqrt((4 + 1) / 2.0 / 10) * Math.pow(40, 0.25),
                window(new double[] {9, 3, 3, 2, 1}).bbpThreshold(10), 1e-12);
    }

    private static SpectralWindow window(double[] sigma) {
        return new SpectralWindow(1, sigma, Map.of());
    }

    @Test
    void firesAtSeparationAndAtEachChangeOfTheCount() {
        DetectorSummary summary = run(config(Map.of()), series(1, FLAT, TWO_OUT, TWO_OUT, STILL_TWO, ONE_OUT));

        List<EdgeEvent> events = summary.events();
        assertEquals(List.of("separation", "count-change"), events.stream().map(EdgeEvent::kind).toList());
        assertEquals(List.of(2L, 5L), events.stream().map(EdgeEvent::step).toList());
        assertEquals(2, events.get(0).values().get("count"), EXACT);
        assertEquals(Math.sqrt(2.5) * Math.pow(3, 0.25), events.get(0).values().get("d_crit"), 1e-12);
        assertEquals(2, events.get(1).values().get("previous_count"), EXACT);
        assertEquals(1, events.get(1).values().get("count"), EXACT);

        Map<String, Double> s = summary.statistics();
        assertEquals(1, s.get("final_count"), EXACT);
        assertEquals(Math.pow(3, 0.25), s.get("final_d_crit"), 1e-12);
        assertEquals(2, s.get("max_count"), EXACT);
        assertEquals(1, s.get("changes"), EXACT);
        assertEquals(2, s.get("separation_step"), EXACT);
        assertEquals(2, s.get("fire_step"), EXACT);
        assertEquals(0, s.get("vacuous"), EXACT);
        assertEquals(0, s.get("vacuous_fraction"), EXACT);
        assertEquals(1, s.get("dimension"), EXACT);
    }

    @Test
    void saysTheBaselineIsVacuousWhenPIsMuchLargerThanW() {
        DetectorSummary summary = run(config(Map.of()), series(1e6, FLAT, TWO_OUT, ONE_OUT));

        assertEquals(1, summary.events().size(), "separated from the first window, never changing");
        assertEquals(1, summary.events().getFirst().step());
        assertTrue(summary.events().getFirst().message().contains("vacuous"), summary.events().getFirst().message());
        assertEquals(1, summary.statistics().get("vacuous"), EXACT);
        assertEquals(4, summary.statistics().get("final_count"), EXACT);
    }

    @Test
    void countsOnlyNonZeroValuesForVacuity() {
        // a centered window: σ_W = 0 by construction, so "all above" means the W − 1 others
        DetectorSummary summary = run(config(Map.of()), series(1e6, new double[] {3, 2, 1, 0}));
        assertEquals(1, summary.statistics().get("vacuous"), EXACT);
        assertEquals(3, summary.statistics().get("final_count"), EXACT);
    }

    @Test
    void takesTheDimensionFromTheConfigurationOverTheMetric() {
        DetectorSummary summary = run(config(Map.of("dimension", 16)), series(1e6, TWO_OUT));
        assertEquals(3, summary.statistics().get("final_count"), EXACT, "d_crit(p = 16) = 1.04");
        assertEquals(16, summary.statistics().get("dimension"), EXACT);
    }

    @Test
    void refusesAWindowWithoutDimensionNamingTheKey() {
        DetectorRun run = detector.open(config(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run.accept(new SpectralWindow(3, TWO_OUT, Map.of())));
        assertTrue(e.getMessage().contains("detector.bbp.dimension") && e.getMessage().contains("step 3"),
                e.getMessage());
    }

    @Test
    void refusesANegativeDimension() {
        assertThrows(IllegalArgumentException.class, () -> detector.open(config(Map.of("dimension", -1))));
    }

    private DetectorSummary run(PluginConfig config, List<SpectralWindow> series) {
        DetectorRun run = detector.open(config);
        series.forEach(run::accept);
        return run.finish();
    }
}
