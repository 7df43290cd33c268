package dev.sedge.detectors;

import java.util.Arrays;
import java.util.List;

/** The median of a series, the mean of the middle two for an even count. */
final class Median {

    private Median() {
    }

    /** @param values at least one; not modified */
    static double of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
