package dev.sedge.core.sweep;

import dev.sedge.core.detect.AccuracyCrossings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.TreeMap;

/** Hand-made run results with known numbers. */
final class Outcomes {

    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    private Outcomes() {
    }

    /**
     * A run result of eigengap-slope.
     *
     * @param fire  its fire step, or null
     * @param late  its late_ratio
     * @param t50   t(0.5) or null; t(0.95) and t(0.99) follow at +30 and +39 when {@code t99} is given
     * @param t99   t(0.99) or null
     */
    static RunResult result(Long fire, double late, Long t50, Long t99, double finalAccuracy) {
        Map<Double, OptionalLong> crossings = new TreeMap<>();
        crossings.put(0.5, opt(t50));
        crossings.put(0.95, opt(t99 == null ? null : t99 - 9));
        crossings.put(0.99, opt(t99));
        SequencedMap<String, DetectorResult> detectors = new LinkedHashMap<>();
        detectors.put("eigengap-slope", new DetectorResult(opt(fire), Map.of("late_ratio", late)));
        return new RunResult(400, OptionalDouble.of(finalAccuracy), new AccuracyCrossings(crossings), detectors,
                Optional.empty(), new RunResult.Execution(RunResult.Mode.TRAINED, START, START.plusSeconds(75)));
    }

    static OptionalLong opt(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Rows in plan order from results given in the same order. */
    static List<SweepRow> rows(SweepPlan plan, RunResult... results) {
        List<SweepRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            rows.add(SweepRow.of(plan.runs().get(i), results[i]));
        }
        return rows;
    }
}
