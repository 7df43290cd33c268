package dev.sedge.core.detect;

import java.util.Arrays;

/**
 * Sample quantiles by linear interpolation between order statistics: Hyndman and Fan's type 7,
 * the default of numpy ({@code np.quantile(x, q)}, method "linear") and of R. For n sorted values
 * x_0 ≤ … ≤ x_{n−1} and q ∈ [0, 1]: h = (n − 1)·q, Q(q) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
 * The median is Q(0.5) (the mean of the middle two for even n); the quartiles are Q(0.25) and
 * Q(0.75). Pure functions; arguments are not modified.
 */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * Q(q) of {@code values}.
     *
     * @param values at least one, none NaN, any order; not modified
     * @param q      in [0, 1]
     * @throws IllegalArgumentException for no values, a NaN value or q outside [0, 1]
     */
    public static double quantile(double[] values, double q) {
        return sortedQuantile(sorted(values), q);
    }

    /** Q(0.5); see {@link #quantile}. */
    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** Q(q) of values already sorted ascending; {@code sorted} is not modified. */
    static double sortedQuantile(double[] sorted, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile level must be in [0, 1], found " + q);
        }
        double h = (sorted.length - 1) * q;
        int below = (int) Math.floor(h);
        if (below + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        double lower = sorted[below];
        double upper = sorted[below + 1];
        double fraction = h - below;
        return fraction == 0 ? lower : lower + fraction * (upper - lower);
    }

    /** A sorted copy, after checking there is at least one value and no NaN. */
    static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a quantile needs at least one value, found none");
        }
        double[] copy = values.clone();
        for (double v : copy) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("a quantile needs numbers, found NaN in " + Arrays.toString(values));
            }
        }
        Arrays.sort(copy);
        return copy;
    }
}
