package dev.sedge.core.sweep;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sweep produced: one row per planned run, in plan order, and the detectors' evaluation.
 *
 * @param plan        the plan
 * @param rows        one per run of the plan, in its order; copied
 * @param states      how many runs were in each state when the sweep started; copied
 * @param evaluations one per evaluated detector, in the spec's order; copied
 */
public record SweepOutcome(SweepPlan plan, List<SweepRow> rows, Map<RunState, Integer> states,
                           List<SweepEvaluation> evaluations) {

    public SweepOutcome {
        Objects.requireNonNull(plan, "plan");
        rows = List.copyOf(rows);
        EnumMap<RunState, Integer> copy = new EnumMap<>(RunState.class);
        copy.putAll(states);
        states = Collections.unmodifiableMap(copy);
        evaluations = List.copyOf(evaluations);
    }

    /** An outcome with its evaluation computed from {@code rows}. */
    public static SweepOutcome of(SweepPlan plan, List<SweepRow> rows, Map<RunState, Integer> states) {
        return new SweepOutcome(plan, rows, states, SweepEvaluation.of(plan, rows));
    }

    /** The failed runs, in plan order. */
    public List<RunFailure> failures() {
        return rows.stream().flatMap(r -> r.failure().stream()).toList();
    }

    /** Whether any finished run measured the level metric ρ ({@code train.level-every}). */
    public boolean measuredLevel() {
        return rows.stream().anyMatch(row -> row.result().flatMap(RunResult::level).isPresent());
    }
}
