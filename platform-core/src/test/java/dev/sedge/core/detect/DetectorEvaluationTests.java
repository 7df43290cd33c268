package dev.sedge.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DetectorEvaluationTests {

    private static final double EXACT = 1e-12;

    private static AccuracyCrossings crossings(Long half, Long ninetyFive, Long ninetyNine) {
        return new AccuracyCrossings(Map.of(0.5, opt(half), 0.95, opt(ninetyFive), 0.99, opt(ninetyNine)));
    }

    private static OptionalLong opt(Long step) {
        return step == null ? OptionalLong.empty() : OptionalLong.of(step);
    }

    private static RunOutcome grok(String run, Long fire, double statistic, Long half, Long ninetyNine) {
        return new RunOutcome(run, "x2", true, opt(fire), OptionalDouble.of(statistic),
                crossings(half, ninetyNine == null ? null : ninetyNine - 10, ninetyNine));
    }

    private static RunOutcome control(String run, Long fire, double statistic) {
        return new RunOutcome(run, "x2-no-wd", false, opt(fire), OptionalDouble.of(statistic),
                crossings(null, null, null));
    }

    /** Four grokking runs (one silent), three controls (one false alarm). */
    private static List<RunOutcome> sweep() {
        return List.of(
                grok("g1", 174L, 300, 102L, 139L),
                grok("g2", 173L, 280, 100L, 140L),
                grok("g3", 175L, 1.31, 104L, 138L),
                grok("g4", null, 250, 101L, null),
                control("c1", null, 1.3),
                control("c2", 190L, 1.31),
                control("c3", null, 1.2));
    }

    @Test
    void countsTruePositivesAgainstControls() {
        Confusion c = DetectorEvaluation.evaluate(sweep()).confusion();
        assertEquals(new Confusion(3, 1, 2, 1), c);
        assertEquals(0.75, c.truePositiveRate(), EXACT);
        assertEquals(1.0 / 3.0, c.falsePositiveRate(), EXACT);
    }

    @Test
    void spreadsTheFireStepOverTruePositivesOnly() {
        Spread s = DetectorEvaluation.evaluate(sweep()).fireStep().orElseThrow();
        // 173 174 175: the control's 190 is left out
        assertEquals(new Spread(3, 174, 173.5, 174.5), s);
    }

    @Test
    void pairsEachFireStepWithItsRunsCrossing() {
        List<ThresholdLag> lags = DetectorEvaluation.evaluate(sweep()).lags();
        assertEquals(List.of(0.5, 0.95, 0.99), lags.stream().map(ThresholdLag::threshold).toList());

        ThresholdLag half = lags.getFirst();
        // crossings of the 4 grokking runs: 100 101 102 104 → median 101.5, Q1 100.75, Q3 102.5
        assertEquals(new Spread(4, 101.5, 100.75, 102.5), half.crossing().orElseThrow());
        // lags of the true positives: 174−102 = 72, 173−100 = 73, 175−104 = 71
        assertEquals(new Spread(3, 72, 71.5, 72.5), half.lag().orElseThrow());

        ThresholdLag ninetyNine = lags.get(2);
        // 174−139 = 35, 173−140 = 33, 175−138 = 37: the detector lags test accuracy
        assertEquals(new Spread(3, 35, 34, 36), ninetyNine.lag().orElseThrow());
    }

    @Test
    void reportsALeadAsANegativeLag() {
        List<RunOutcome> early = List.of(grok("g", 90L, 1, 100L, 140L));
        assertEquals(-10, DetectorEvaluation.evaluate(early).lags().getFirst().lag().orElseThrow().median(), EXACT);
    }

    @Test
    void measuresHowWellTheStatisticSeparatesTheGroups() {
        EvaluationReport r = DetectorEvaluation.evaluate(sweep());
        // positives 300 280 1.31 250 against 1.3 1.31 1.2: 12 pairs, 11 wins and one tie (1.31 = 1.31)
        assertEquals(11.5 / 12, r.auroc().orElseThrow().value(), EXACT);
        // median(250, 280, 300, 1.31) = 265 over median(1.2, 1.3, 1.31) = 1.3
        assertEquals(265 / 1.3, r.separation().getAsDouble(), 1e-9);
        assertEquals(7, r.runs());
    }

    @Test
    void evaluatesEachConditionOnItsOwn() {
        Map<String, EvaluationReport> reports = DetectorEvaluation.byCondition(sweep());
        assertEquals(List.of("x2", "x2-no-wd"), List.copyOf(reports.keySet()));
        assertEquals(new Confusion(3, 0, 0, 1), reports.get("x2").confusion());
        assertTrue(reports.get("x2").auroc().isEmpty(), "no controls in the condition");
        assertTrue(reports.get("x2-no-wd").fireStep().isEmpty(), "no true positives among controls");
    }

    @Test
    void dividesMediansForTheLateSeparation() {
        assertEquals(300.0 / 1.31, DetectorEvaluation.separation(new double[] {290, 300, 310},
                new double[] {1.31}).getAsDouble(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, DetectorEvaluation.separation(new double[] {1}, new double[] {0})
                .getAsDouble());
        assertTrue(DetectorEvaluation.separation(new double[] {0}, new double[] {0}).isEmpty());
        assertTrue(DetectorEvaluation.separation(new double[0], new double[] {1}).isEmpty());
    }

    @Test
    void readsAnOutcomeFromADetectorSummary() {
        DetectorSummary summary = new DetectorSummary("eigengap-slope",
                List.of(new EdgeEvent("eigengap-slope", 174, "lock-in", "m", Map.of())),
                Map.of("late_ratio", 301.5, "max_slope", Double.NaN));
        AccuracyCrossings c = crossings(102L, 130L, 139L);

        RunOutcome o = RunOutcome.of("seed-1", "x2", true, summary, "late_ratio", c);
        assertEquals(OptionalLong.of(174), o.fireStep());
        assertEquals(OptionalDouble.of(301.5), o.statistic());
        assertTrue(RunOutcome.of("seed-1", "x2", true, summary, "max_slope", c).statistic().isEmpty(), "NaN");
        assertTrue(RunOutcome.of("seed-1", "x2", true, summary, "absent", c).statistic().isEmpty());
    }
}
