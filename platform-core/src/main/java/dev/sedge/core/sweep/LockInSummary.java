package dev.sedge.core.sweep;

import dev.sedge.core.detect.Spread;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The lock-in reproduction's numbers next to the paper's ({@link LockInReproduction#summarize}).
 * Steps are epochs (one full-batch step per epoch).
 *
 * @param seeds       seeds per condition
 * @param deviations  every way this run departs from the protocol ({@code seeds 3 instead of 15},
 *                    {@code train.eval-every=5}); empty for the protocol itself; copied
 * @param conditions  per condition, in protocol order (only those that were run); copied
 * @param x2          x² runs against x² controls: late separation and lag; empty if either was not run
 * @param relu        ReLU runs against ReLU controls; empty if either was not run
 * @param comparison  the paper's numbers and ours, row by row; copied
 * @param signTests   the repulsion sign test: per condition and epoch, paper and ours; copied
 * @param level       the level metric ρ, paper and ours, row by row; copied
 * @param runs        what was measured on each run beyond its sweep result, by run id; copied
 */
public record LockInSummary(int seeds, List<String> deviations, List<ConditionSummary> conditions,
                            Optional<FamilySummary> x2, Optional<FamilySummary> relu, List<PaperComparison> comparison,
                            List<SignTestRow> signTests, List<PaperComparison> level, Map<String, LockInMeasures> runs) {

    public LockInSummary {
        deviations = List.copyOf(deviations);
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(x2, "x2");
        Objects.requireNonNull(relu, "relu");
        comparison = List.copyOf(comparison);
        signTests = List.copyOf(signTests);
        level = List.copyOf(level);
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    }

    /**
     * The sign test at one epoch of one condition, over the runs tested.
     *
     * @param condition {@code x2} or {@code relu}
     * @param epoch     the checkpoint
     * @param paper     the published value, or {@code not reported}
     * @param runs      the runs tested at this epoch
     * @param score     their sign matches' spread
     * @param repulsive their repulsive fractions' spread (the share of pairs with B_jl &lt; 0)
     */
    public record SignTestRow(String condition, long epoch, String paper, int runs, Optional<Spread> score,
                              Optional<Spread> repulsive) {
        public SignTestRow {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(paper, "paper");
            Objects.requireNonNull(score, "score");
            Objects.requireNonNull(repulsive, "repulsive");
        }
    }

    /**
     * The level metric ρ over a condition's runs, in one reading.
     *
     * @param runs  finished runs whose ρ was measured
     * @param fired of those, the runs where ρ exceeded the threshold
     * @param fire  the first epoch with ρ &gt; threshold, over the runs where it did; empty if none
     * @param max   the largest ρ over every measured run and epoch; empty if none measured
     * @param lead  t(0.5) − fire epoch, paired per run; empty if no run has both
     */
    public record LevelSummary(int runs, int fired, Optional<Spread> fire, OptionalDouble max, Optional<Spread> lead) {
        public LevelSummary {
            Objects.requireNonNull(fire, "fire");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(lead, "lead");
        }
    }

    /**
     * One condition over its seeds.
     *
     * @param condition   {@code x2}, {@code x2-no-wd}, {@code relu}, {@code relu-no-wd}
     * @param control     whether it is a control (no weight decay)
     * @param activation  {@code square} or {@code relu}
     * @param weightDecay the L2 coefficient, as configured
     * @param runs        runs that finished
     * @param failed      runs that failed
     * @param grokked     finished runs whose test accuracy reached 0.99
     * @param fired       finished runs where the detector fired
     * @param fireStep    the fire step over the runs where it fired; empty if none
     * @param lateRatio   median over finished runs of the late λ2/λ3 (median over epochs 200–400)
     * @param t50         median over runs that reached it of the first epoch with test accuracy ≥ 0.5
     * @param t99         likewise for 0.99
     * @param level         ρ in the paper code's reading ({@code level_rho})
     * @param levelCentered ρ in the paper text's reading ({@code level_rho_centered})
     */
    public record ConditionSummary(String condition, boolean control, String activation, String weightDecay,
                                   int runs, int failed, int grokked, int fired, Optional<Spread> fireStep,
                                   OptionalDouble lateRatio, OptionalDouble t50, OptionalDouble t99,
                                   LevelSummary level, LevelSummary levelCentered) {
        public ConditionSummary {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(fireStep, "fireStep");
            Objects.requireNonNull(lateRatio, "lateRatio");
            Objects.requireNonNull(t50, "t50");
            Objects.requireNonNull(t99, "t99");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(levelCentered, "levelCentered");
        }
    }

    /**
     * An activation's runs against its controls.
     *
     * @param separation median late λ2/λ3 of the runs with weight decay over that of the controls
     * @param lag        fire epoch − t(0.99), paired per run, over the runs where it fired and that
     *                   reached 0.99; empty if none
     */
    public record FamilySummary(OptionalDouble separation, Optional<Spread> lag) {
        public FamilySummary {
            Objects.requireNonNull(separation, "separation");
            Objects.requireNonNull(lag, "lag");
        }
    }
}
