package dev.sedge.train;

/**
 * The spectrum group's values after a step, and how much of their change since the previous snapshot
 * came from weight decay.
 *
 * <p>Arrays are lent, not copied: every listener receives the same two arrays, which no one may
 * modify, and which the trainer overwrites with the next snapshot; a listener that keeps values
 * copies them. The group can hold 10⁷ values: a fresh pair of arrays per snapshot (or a copy per
 * listener) would cost the live monitor more than its budget, in allocation and garbage collection.
 * Confined to the training thread.
 */
public final class Snapshot {

    private final long step;
    private final float[] theta;
    private final float[] decay;
    private final double learningRate;

    /**
     * @param theta        θ, the group flattened (length p); lent, not copied
     * @param decay        Δθ_wd accumulated since the previous snapshot (zeros at the first); lent
     * @param learningRate η in force at {@code step}; NaN at step 0
     */
    Snapshot(long step, float[] theta, float[] decay, double learningRate) {
        if (theta.length != decay.length) {
            throw new IllegalArgumentException("theta has " + theta.length + " values, decay " + decay.length);
        }
        this.step = step;
        this.theta = theta;
        this.decay = decay;
        this.learningRate = learningRate;
    }

    public long step() {
        return step;
    }

    /**
     * θ: the group's values, flattened row-major, members concatenated in order. Lent until the next
     * snapshot: do not modify; copy to keep.
     */
    public float[] theta() {
        return theta;
    }

    /**
     * Δθ_wd: the weight-decay part of the group's change since the previous snapshot, as the optimizer
     * reported it, summed over the steps in between; the gradient part is (θ − θ_previous) − Δθ_wd.
     * Zeros at the first snapshot and for an optimizer without weight decay. Lent until the next snapshot:
     * do not modify; copy to keep.
     */
    public float[] decay() {
        return decay;
    }

    /** η in force at this step; NaN at step 0. */
    public double learningRate() {
        return learningRate;
    }

    /** p, the length of both arrays. */
    public int dimension() {
        return theta.length;
    }
}
