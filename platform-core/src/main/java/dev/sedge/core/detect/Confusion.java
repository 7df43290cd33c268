package dev.sedge.core.detect;

import java.util.List;

/**
 * How a detector's firing agrees with the ground truth over a set of runs: a grokking run is a
 * positive, a control run a negative; a run "fired" if the detector raised any event.
 *
 * @param truePositives  grokking runs where it fired
 * @param falsePositives control runs where it fired
 * @param trueNegatives  control runs where it did not fire
 * @param falseNegatives grokking runs where it did not fire
 */
public record Confusion(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    public Confusion {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("counts must be >= 0, found TP " + truePositives + ", FP "
                    + falsePositives + ", TN " + trueNegatives + ", FN " + falseNegatives);
        }
    }

    /** Counts {@code outcomes} (not modified). */
    public static Confusion of(List<RunOutcome> outcomes) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (RunOutcome o : outcomes) {
            boolean fired = o.fireStep().isPresent();
            if (o.grokking()) {
                tp += fired ? 1 : 0;
                fn += fired ? 0 : 1;
            } else {
                fp += fired ? 1 : 0;
                tn += fired ? 0 : 1;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    /** Grokking runs: TP + FN. */
    public int grokkingRuns() {
        return truePositives + falseNegatives;
    }

    /** Control runs: FP + TN. */
    public int controlRuns() {
        return falsePositives + trueNegatives;
    }

    /** TP / (TP + FN), the share of grokking runs it fired in; NaN without grokking runs. */
    public double truePositiveRate() {
        return grokkingRuns() == 0 ? Double.NaN : (double) truePositives / grokkingRuns();
    }

    /** FP / (FP + TN), the share of control runs it fired in; NaN without control runs. */
    public double falsePositiveRate() {
        return controlRuns() == 0 ? Double.NaN : (double) falsePositives / controlRuns();
    }
}
