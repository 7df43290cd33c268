package dev.sedge.core.sweep;

import dev.sedge.core.detect.DetectorEvaluation;
import dev.sedge.core.detect.EvaluationReport;
import dev.sedge.core.detect.RunOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SequencedMap;

/**
 * One detector evaluated over a sweep's finished runs ({@link DetectorEvaluation}): a run's ground
 * truth is "grokking" unless its condition is a control; the statistic feeds the AUROC and the late
 * separation (median over grokking runs / median over controls). Failed runs are left out.
 *
 * @param detector   the detector and its statistic
 * @param all        every finished run together
 * @param groups     per evaluation group ({@code architecture.activation=square}), in order of first
 *                   appearance; empty when the spec groups nothing; copied
 * @param conditions per condition (each all grokking or all controls: no AUROC, no separation); copied
 */
public record SweepEvaluation(EvaluatedDetector detector, EvaluationReport all,
                              SequencedMap<String, EvaluationReport> groups,
                              SequencedMap<String, EvaluationReport> conditions) {

    public SweepEvaluation {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(all, "all");
        groups = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(groups));
        conditions = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(conditions));
    }

    /** One evaluation per detector of the spec, in its order. */
    public static List<SweepEvaluation> of(SweepPlan plan, List<SweepRow> rows) {
        List<SweepEvaluation> out = new ArrayList<>();
        for (EvaluatedDetector detector : plan.spec().detectors()) {
            List<RunOutcome> outcomes = outcomes(rows, detector);
            SequencedMap<String, List<RunOutcome>> byGroup = new LinkedHashMap<>();
            if (!plan.spec().groups().isEmpty()) {
                for (SweepRow row : rows) {
                    if (row.result().isPresent()) {
                        byGroup.computeIfAbsent(row.run().condition().group(), g -> new ArrayList<>());
                    }
                }
                outcomes.forEach(o -> byGroup.get(groupOf(plan, o)).add(o));
            }
            SequencedMap<String, EvaluationReport> groups = new LinkedHashMap<>();
            byGroup.forEach((g, list) -> groups.put(g, DetectorEvaluation.evaluate(list)));
            out.add(new SweepEvaluation(detector, DetectorEvaluation.evaluate(outcomes), groups,
                    new LinkedHashMap<>(DetectorEvaluation.byCondition(outcomes))));
        }
        return out;
    }

    /** The outcome of every finished run for {@code detector}, in plan order. */
    static List<RunOutcome> outcomes(List<SweepRow> rows, EvaluatedDetector detector) {
        List<RunOutcome> outcomes = new ArrayList<>();
        for (SweepRow row : rows) {
            if (row.result().isEmpty()) {
                continue;
            }
            RunResult r = row.result().get();
            DetectorResult d = r.detectors().get(detector.name());
            if (d == null) {
                continue;
            }
            OptionalDouble statistic = OptionalDouble.empty();
            if (detector.statistic().isPresent()) {
                Double value = d.statistics().get(detector.statistic().get());
                if (value != null && !value.isNaN()) {
                    statistic = OptionalDouble.of(value);
                }
            }
            Condition c = row.run().condition();
            outcomes.add(new RunOutcome(row.run().id(), c.slug(), !c.control(), d.fireStep(), statistic,
                    r.crossings()));
        }
        return outcomes;
    }

    private static String groupOf(SweepPlan plan, RunOutcome outcome) {
        return plan.conditions().stream().filter(c -> c.slug().equals(outcome.condition())).findFirst()
                .orElseThrow().group();
    }
}
