package dev.sedge.spectral;

import java.util.Objects;
import java.util.Optional;

/**
 * Turns consecutive recorded snapshots θ_t of one parameter group into updates
 * δ_t = θ_t − θ_{t−1} (docs/science.md, "The rolling-window Gram matrix"): the recording interval is whatever the
 * caller's snapshots are. Keeps a copy of the previous snapshot (p floats). Confined to one thread.
 *
 * <p>Each difference is taken in float, which is exact when the two values are within a factor
 * 2 of each other (Sterbenz) and otherwise rounded once, to float precision of the update.
 */
public final class SnapshotDifferencer {

    private final float[] previous;
    private boolean primed;
    private long previousStep;

    /** @param dimension p, the length of every snapshot, ≥ 1 */
    public SnapshotDifferencer(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("snapshot dimension p must be >= 1, found " + dimension);
        }
        this.previous = new float[dimension];
    }

    /**
     * Takes the next snapshot.
     *
     * @param step  its step, greater than the previous snapshot's
     * @param theta the flattened parameter group, length p, finite; copied, not modified
     * @return the update θ_step − θ_previous as a new array, or empty for the first snapshot
     * @throws IllegalArgumentException for a wrong length or a step not after the previous one
     * @throws dev.sedge.api.NumericException if θ holds NaN or ±∞ (nothing is changed then)
     */
    public Optional<float[]> accept(long step, float[] theta) {
        Objects.requireNonNull(theta, "theta");
        if (theta.length != previous.length) {
            throw new IllegalArgumentException("the snapshot at step " + step + " has length " + theta.length
                    + "; expected p = " + previous.length + ". Every snapshot must flatten the same parameter group");
        }
        if (primed && step <= previousStep) {
            throw new IllegalArgumentException("snapshot steps must increase: step " + step + " came after step "
                    + previousStep);
        }
        if (NonFiniteUpdate.firstBadIndex(theta) >= 0) {
            throw NonFiniteUpdate.of("snapshot", step, theta);
        }
        Optional<float[]> out = Optional.empty();
        if (primed) {
            float[] delta = new float[theta.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = theta[i] - previous[i];
            }
            out = Optional.of(delta);
        }
        System.arraycopy(theta, 0, previous, 0, theta.length);
        previousStep = step;
        primed = true;
        return out;
    }

    /** The step of the last snapshot taken; meaningful once one was. */
    public long previousStep() {
        return previousStep;
    }
}
