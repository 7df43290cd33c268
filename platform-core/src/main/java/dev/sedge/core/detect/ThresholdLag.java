package dev.sedge.core.detect;

import java.util.Objects;
import java.util.Optional;

/**
 * The detector's fire step against one test-accuracy threshold θ, in steps.
 *
 * @param threshold θ (accuracy, 0..1)
 * @param crossing  t(θ) over the grokking runs that reached θ; empty if none did
 * @param lag       fire step − t(θ), paired per run, over the true positives (grokking runs where
 *                  the detector fired) that reached θ: positive = the detector lags test accuracy,
 *                  negative = it leads (an early warning); empty if there is no such run
 */
public record ThresholdLag(double threshold, Optional<Spread> crossing, Optional<Spread> lag) {

    public ThresholdLag {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number, found NaN");
        }
        Objects.requireNonNull(crossing, "crossing");
        Objects.requireNonNull(lag, "lag");
    }
}
