package dev.sedge.core.detect;

import java.util.Optional;

/**
 * Median and quartiles of a sample, by {@link Quantiles} (linear interpolation, numpy's default).
 * In the unit of the sample (steps, or steps of lag).
 *
 * @param count         the sample size, ≥ 1
 * @param median        Q(0.5)
 * @param lowerQuartile Q(0.25)
 * @param upperQuartile Q(0.75)
 */
public record Spread(int count, double median, double lowerQuartile, double upperQuartile) {

    public Spread {
        if (count < 1) {
            throw new IllegalArgumentException("a spread needs at least one value, found count " + count);
        }
        if (!(lowerQuartile <= median && median <= upperQuartile)) {
            throw new IllegalArgumentException("quartiles must bracket the median, found " + lowerQuartile + " <= "
                    + median + " <= " + upperQuartile);
        }
    }

    /** The spread of {@code values} (not modified, none NaN), or empty when there are none. */
    public static Optional<Spread> of(double[] values) {
        if (values.length == 0) {
            return Optional.empty();
        }
        double[] sorted = Quantiles.sorted(values);
        return Optional.of(new Spread(sorted.length, Quantiles.sortedQuantile(sorted, 0.5),
                Quantiles.sortedQuantile(sorted, 0.25), Quantiles.sortedQuantile(sorted, 0.75)));
    }

    /** The interquartile range Q(0.75) − Q(0.25). */
    public double iqr() {
        return upperQuartile - lowerQuartile;
    }
}
