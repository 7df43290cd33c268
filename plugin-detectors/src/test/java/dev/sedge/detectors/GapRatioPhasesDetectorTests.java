package dev.sedge.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.testkit.DetectorContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class GapRatioPhasesDetectorTests {

    private static final double EXACT = 1e-12;

    private final GapRatioPhasesDetector detector = new GapRatioPhasesDetector();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("detector.gap-ratio-phases", detector.descriptor(), values);
    }

    /**
     * Window i (step 100·(i+1)) has σ = [R, 1, 0.99, 0.98] with ln R = logRatio(i), so the edge is
     * k* = 1 with R_1 = R whenever R > 1/0.99.
     */
    private static List<SpectralWindow> series(int count, IntToDoubleFunction logRatio) {
        List<SpectralWindow> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double r = Math.exp(logRatio.applyAsDouble(i));
            windows.add(new SpectralWindow(100L * (i + 1), new double[] {r, 1, 0.99, 0.98}, Map.of()));
        }
        return windows;
    }

    /** ln R: 0.1 up to window 20, +0.2 per window to 4.1 at window 40, flat to 69, back to 0.1 from 70. */
    private static double lifecycle(int i) {
        if (i < 20) {
            return 0.1;
        }
        if (i <= 40) {
            return 0.1 + 0.2 * (i - 20);
        }
        return i < 70 ? 4.1 : 0.1;
    }

    @Test
    void passesTheDetectorContract() {
        DetectorContract.check(detector, config(Map.of()), series(100, GapRatioPhasesDetectorTests::lifecycle));
    }

    @Test
    void findsRisePlateauAndCollapseWithTheDefaults() {
        DetectorSummary summary = run(config(Map.of()), series(100, GapRatioPhasesDetectorTests::lifecycle));

        // ȳ_i = mean ln R over windows i−4..i; s_i = (ȳ_i − ȳ_{i−5}) / 5.
        // s_23 = (0.34 − 0.1)/5 = 0.048, s_24 = (0.5 − 0.1)/5 = 0.08: the rise starts at 24, holds 3 windows to 26.
        // s_48 = (4.1 − 4.06)/5 = 0.008 < 0.01 (s_47 = 0.024): the plateau starts at 48, holds 5 windows to 52.
        // ȳ_70 = (4·4.1 + 0.1)/5 = 3.3 ≤ 4.1 − ln 2: collapse at 70, a drop of e^0.8.
        List<EdgeEvent> events = summary.events();
        assertEquals(List.of("rise", "plateau", "collapse"), events.stream().map(EdgeEvent::kind).toList());
        assertEquals(List.of(2700L, 5300L, 7100L), events.stream().map(EdgeEvent::step).toList());
        assertEquals(2500, events.get(0).values().get("onset_step"), EXACT);
        assertEquals(0.152, events.get(0).values().get("slope"), 1e-12);
        assertEquals(4900, events.get(1).values().get("onset_step"), EXACT);
        assertEquals(Math.exp(4.1), events.get(1).values().get("smoothed_ratio"), 1e-9);
        assertEquals(Math.exp(0.8), events.get(2).values().get("drop"), 1e-9);
        assertEquals(1, events.get(2).values().get("kstar"), EXACT);

        Map<String, Double> s = summary.statistics();
        assertEquals(Math.exp(4.1), s.get("peak_ratio"), 1e-9);
        assertEquals(4100, s.get("peak_step"), EXACT);
        assertEquals(Math.exp(4.1), s.get("plateau_level"), 1e-9);
        assertEquals(2700, s.get("rise_step"), EXACT);
        assertEquals(5300, s.get("plateau_step"), EXACT);
        assertEquals(7100, s.get("collapse_step"), EXACT);
        assertEquals(2700, s.get("fire_step"), EXACT);
        assertEquals(3, s.get("transitions"), EXACT);
        assertEquals(3, s.get("phase"), EXACT, "collapsed");
        assertEquals(Math.exp(0.1), s.get("final_ratio"), 1e-9);
    }

    @Test
    void followsTheRawSeriesWithoutSmoothing() {
        DetectorSummary summary = run(config(Map.of("smooth", 1, "lag", 1)),
                series(100, GapRatioPhasesDetectorTests::lifecycle));
        // s_21 = 0.2: rise at 23 (onset 21); s_41 = 0: plateau at 45 (onset 41); collapse at 70, drop e^4.
        assertEquals(List.of(2400L, 4600L, 7100L), summary.events().stream().map(EdgeEvent::step).toList());
        assertEquals(Math.exp(4), summary.events().get(2).values().get("drop"), 1e-9);
    }

    @Test
    void reportsACollapseStraightAfterARise() {
        DetectorSummary summary = run(config(Map.of("smooth", 1, "lag", 1)),
                series(40, i -> i < 10 ? 0.1 : (i < 20 ? 0.1 + 0.2 * (i - 9) : 0.1)));
        assertEquals(List.of("rise", "collapse"), summary.events().stream().map(EdgeEvent::kind).toList());
        assertEquals(2100, summary.events().get(1).step());
    }

    @Test
    void startsANewCycleAfterACollapse() {
        DetectorSummary twice = run(config(Map.of("smooth", 1, "lag", 1)),
                series(140, i -> i < 70 ? lifecycle(i) : lifecycle(i - 70)));
        assertEquals(List.of("rise", "plateau", "collapse", "rise", "plateau"),
                twice.events().stream().map(EdgeEvent::kind).toList());
        assertEquals(2, twice.statistics().get("phase"), EXACT);
        assertEquals(2400, twice.statistics().get("rise_step"), EXACT, "the first rise");
    }

    @Test
    void staysQuietOnAFlatRatio() {
        DetectorSummary summary = run(config(Map.of()), series(60, i -> 1.0));
        assertTrue(summary.events().isEmpty());
        assertEquals(0, summary.statistics().get("phase"), EXACT);
        assertEquals(Math.E, summary.statistics().get("peak_ratio"), 1e-9);
    }

    @Test
    void skipsWindowsWhoseRatioIsUndefined() {
        DetectorRun run = detector.open(config(Map.of()));
        run.accept(new SpectralWindow(1, new double[] {1, 0, 0}, Map.of()));
        run.accept(new SpectralWindow(2, new double[] {4, 2, 0}, Map.of()));
        DetectorSummary summary = run.finish();
        assertEquals(1, summary.statistics().get("skipped_windows"), EXACT);
        assertEquals(2, summary.statistics().get("peak_ratio"), EXACT, "σ3 = 0 is not a gap");
    }

    @Test
    void placesTheEdgeAtTheLargestRatioOrTheLargestWeightedRatio() {
        double[] sigma = {100, 10, 1, 0.05};
        assertEquals(new EdgePosition(3, 20), EdgePosition.of(new SpectralWindow(1, sigma, Map.of()), false).orElseThrow());
        // weights σ_j/Σσ: 100/111.05·10 = 9.0 beats 1/111.05·20
        assertEquals(new EdgePosition(1, 10), EdgePosition.of(new SpectralWindow(1, sigma, Map.of()), true).orElseThrow());
        assertEquals(1, EdgePosition.of(new SpectralWindow(1, new double[] {4, 2, 1}, Map.of()), false).orElseThrow().kstar(), "ties: smallest j");
        assertEquals(new EdgePosition(1, 2), EdgePosition.of(new SpectralWindow(1, new double[] {4, 2, 0}, Map.of()), false).orElseThrow());
        assertTrue(EdgePosition.of(new SpectralWindow(1, new double[] {3, 0}, Map.of()), false).isEmpty());
    }

    @Test
    void refusesAPlateauSlopeAboveTheRiseSlope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detector.open(config(Map.of("plateau-slope", 0.1))));
        assertTrue(e.getMessage().contains("plateau-slope"), e.getMessage());
    }

    @Test
    void refusesAnUnknownEdgeVariant() {
        ConfigException e = assertThrows(ConfigException.class, () -> detector.open(config(Map.of("edge", "max"))));
        assertTrue(e.getMessage().contains("detector.gap-ratio-phases.edge"), e.getMessage());
    }

    private DetectorSummary run(PluginConfig config, List<SpectralWindow> series) {
        DetectorRun run = detector.open(config);
        series.forEach(run::accept);
        return run.finish();
    }
}
