package dev.sedge.core.detect;

import dev.sedge.api.detect.DetectorSummary;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one detector did on one run of a sweep, with the run's ground truth.
 *
 * @param run       the run's id (its folder name, or condition and seed)
 * @param condition the condition label ({@code x2}, {@code x2-no-wd}) runs are grouped by
 * @param grokking  the ground truth: a grokking run (true) or a control (false)
 * @param fireStep  the step of the detector's first event, or empty if it never fired
 * @param statistic the detector's statistic for this run ({@code late_ratio}, {@code decline}), or
 *                  empty when it has none; never NaN
 * @param crossings t(θ) of the run's test accuracy
 */
public record RunOutcome(String run, String condition, boolean grokking, OptionalLong fireStep,
                         OptionalDouble statistic, AccuracyCrossings crossings) {

    public RunOutcome {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(fireStep, "fireStep");
        Objects.requireNonNull(statistic, "statistic");
        Objects.requireNonNull(crossings, "crossings");
        if (statistic.isPresent() && Double.isNaN(statistic.getAsDouble())) {
            throw new IllegalArgumentException("run " + run + ": a statistic must be a number (±∞ allowed) or absent,"
                    + " found NaN");
        }
    }

    /**
     * The outcome a detector summary describes: the fire step is the step of its first event (of
     * any kind); the statistic is {@code summary.statistics().get(statistic)}, absent if missing or NaN.
     *
     * @param statistic the name of the statistic ({@code late_ratio})
     */
    public static RunOutcome of(String run, String condition, boolean grokking, DetectorSummary summary,
                                String statistic, AccuracyCrossings crossings) {
        OptionalLong fire = summary.events().isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(summary.events().getFirst().step());
        Double value = summary.statistics().get(statistic);
        OptionalDouble stat = value == null || value.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(value);
        return new RunOutcome(run, condition, grokking, fire, stat, crossings);
    }
}
