package dev.sedge.core.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

    /**
     * How this sweep departs from the built-in {@code protocol} it was made from, as {@code sedge reproduce}
     * reports it: other seeds ({@code 1 seed per condition instead of 3} when both are 0 … n − 1, else
     * {@code seeds 42 instead of 42, 137, 2024}), fewer conditions ({@code conditions add, mul only}), then
     * {@code more} (the {@code --set} keys), in that order.
     */
    public List<String> deviationsFrom(SweepSpec protocol, List<String> more) {
        List<String> all = new ArrayList<>();
        List<Long> seeds = plan.spec().seeds();
        List<Long> paper = protocol.seeds();
        if (!seeds.equals(paper)) {
            boolean counts = seeds.equals(SweepSpec.firstSeeds(seeds.size()))
                    && paper.equals(SweepSpec.firstSeeds(paper.size()));
            all.add(counts ? seeds.size() + (seeds.size() == 1 ? " seed" : " seeds") + " per condition instead of "
                    + paper.size() : "seeds " + joined(seeds) + " instead of " + joined(paper));
        }
        List<String> run = plan.conditions().stream().map(Condition::slug).toList();
        if (!run.equals(protocol.conditions().stream().map(ConditionSpec::name).toList())) {
            all.add("conditions " + String.join(", ", run) + " only");
        }
        all.addAll(more);
        return all;
    }

    private static String joined(List<Long> seeds) {
        return seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Whether any finished run measured the level metric ρ ({@code train.level-every}). */
    public boolean measuredLevel() {
        return rows.stream().anyMatch(row -> row.result().flatMap(RunResult::level).isPresent());
    }
}
