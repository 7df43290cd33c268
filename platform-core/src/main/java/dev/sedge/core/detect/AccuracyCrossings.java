package dev.sedge.core.detect;

import dev.sedge.core.run.MetricsTable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * When a run's test accuracy first reached each threshold: t(θ) = the step of the first evaluation
 * whose accuracy is ≥ θ (NaN evaluations skipped), or empty if it never did. Papers use different
 * thresholds (0.5, 0.95, 0.99): every report states which.
 *
 * @param steps threshold θ (accuracy, 0..1) to t(θ); copied into a map sorted by θ
 */
public record AccuracyCrossings(Map<Double, OptionalLong> steps) {

    /** The thresholds of docs/science.md, "Detectors": 0.5, 0.95, 0.99. */
    public static final List<Double> STANDARD = List.of(0.5, 0.95, 0.99);

    /** The metrics column read by default. */
    public static final String TEST_ACCURACY = "test_acc";

    public AccuracyCrossings {
        for (Map.Entry<Double, OptionalLong> e : steps.entrySet()) {
            if (e.getKey() == null || Double.isNaN(e.getKey()) || e.getValue() == null) {
                throw new IllegalArgumentException("thresholds and steps must be non-null numbers, found " + steps);
            }
        }
        steps = Collections.unmodifiableSortedMap(new TreeMap<>(steps));
    }

    /** t(θ) of the {@code test_acc} column for each of {@code thresholds}. */
    public static AccuracyCrossings of(MetricsTable metrics, List<Double> thresholds) {
        return of(metrics, TEST_ACCURACY, thresholds);
    }

    /**
     * t(θ) of {@code column} for each of {@code thresholds}.
     *
     * @throws IllegalArgumentException if the table has no such column
     */
    public static AccuracyCrossings of(MetricsTable metrics, String column, List<Double> thresholds) {
        SortedMap<Double, OptionalLong> steps = new TreeMap<>();
        for (double threshold : thresholds) {
            steps.put(threshold, firstAtOrAbove(metrics, column, threshold));
        }
        return new AccuracyCrossings(steps);
    }

    /**
     * The step of the first row whose {@code column} is ≥ {@code threshold}, NaN rows skipped.
     *
     * @throws IllegalArgumentException if the table has no such column
     */
    public static OptionalLong firstAtOrAbove(MetricsTable metrics, String column, double threshold) {
        double[] values = metrics.column(column);
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= threshold) {
                return OptionalLong.of(metrics.step(i));
            }
        }
        return OptionalLong.empty();
    }

    /** No threshold computed (a run without metrics). */
    public static AccuracyCrossings none() {
        return new AccuracyCrossings(new TreeMap<>());
    }

    /** The thresholds, ascending. */
    public List<Double> thresholds() {
        return List.copyOf(steps.keySet());
    }

    /**
     * t(θ), or empty if the accuracy never reached θ.
     *
     * @throws IllegalArgumentException if θ was not computed
     */
    public OptionalLong at(double threshold) {
        OptionalLong step = steps.get(threshold);
        if (step == null) {
            throw new IllegalArgumentException("t(" + threshold + ") was not computed; thresholds: " + steps.keySet());
        }
        return step;
    }
}
