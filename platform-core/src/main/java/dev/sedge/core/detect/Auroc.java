package dev.sedge.core.detect;

import java.util.Optional;

/**
 * The area under the ROC curve of a statistic separating grokking runs (positives) from controls
 * (negatives), by the Mann–Whitney U statistic: AUROC = U / (n₊ n₋), U = Σ_i Σ_j ([x_i &gt; y_j] +
 * ½[x_i = y_j]) over positives x and negatives y — the probability that a random grokking run
 * scores higher than a random control, ties counted half. 1 separates perfectly with grokking
 * runs higher, 0.5 is chance, below 0.5 the statistic is lower in grokking runs.
 *
 * @param value     in [0, 1]
 * @param positives n₊, grokking runs with a statistic
 * @param negatives n₋, control runs with a statistic
 */
public record Auroc(double value, int positives, int negatives) {

    public Auroc {
        if (!(value >= 0 && value <= 1) || positives < 1 || negatives < 1) {
            throw new IllegalArgumentException("AUROC needs a value in [0, 1] and >= 1 run per group, found " + value
                    + " over " + positives + " positives and " + negatives + " negatives");
        }
    }

    /**
     * The AUROC of {@code positives} against {@code negatives} (neither modified; ±∞ allowed, NaN
     * not); empty if either is empty. Exact: every pair is compared.
     */
    public static Optional<Auroc> of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Optional.empty();
        }
        double u = 0;
        for (double x : positives) {
            for (double y : negatives) {
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    throw new IllegalArgumentException("AUROC needs numbers, found NaN");
                }
                u += x > y ? 1 : (x == y ? 0.5 : 0);
            }
        }
        return Optional.of(new Auroc(u / ((double) positives.length * negatives.length), positives.length,
                negatives.length));
    }
}
