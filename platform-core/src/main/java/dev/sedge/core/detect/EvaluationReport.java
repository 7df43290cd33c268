package dev.sedge.core.detect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One detector evaluated over a set of runs (docs/science.md, "Detectors").
 *
 * @param runs        how many runs were evaluated
 * @param confusion   firing against the ground truth
 * @param fireStep    the fire step over the true positives (grokking runs where it fired), steps;
 *                    empty if there are none
 * @param lags        one per test-accuracy threshold found in the runs' crossings, ascending; copied
 * @param auroc       of the statistic, grokking runs against controls; empty without a statistic in
 *                    both groups
 * @param separation  late separation: median statistic of the grokking runs over the median of the
 *                    controls; empty without both groups, or for 0/0
 */
public record EvaluationReport(int runs, Confusion confusion, Optional<Spread> fireStep, List<ThresholdLag> lags,
                               Optional<Auroc> auroc, OptionalDouble separation) {

    public EvaluationReport {
        Objects.requireNonNull(confusion, "confusion");
        Objects.requireNonNull(fireStep, "fireStep");
        lags = List.copyOf(lags);
        Objects.requireNonNull(auroc, "auroc");
        Objects.requireNonNull(separation, "separation");
    }
}
