package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The Adam state of one parameter: the EMA of the loss gradient ∇, the EMA of the weight-decay
 * term ωθ (absent when ω = 0), the EMA of the squared full gradient, and the number of steps
 * taken. Each array has the parameter's shape and data type and lives in a sub-manager of the
 * parameter's manager, which {@link #close()} frees. Confined to one thread.
 */
final class AdamMoments implements AutoCloseable {

    private final NDManager manager;
    private final NDArray gradientMean;
    private final NDArray decayMean;
    private final NDArray squareMean;
    private long steps;

    private AdamMoments(NDManager manager, NDArray gradientMean, NDArray decayMean, NDArray squareMean) {
        this.manager = manager;
        this.gradientMean = gradientMean;
        this.decayMean = decayMean;
        this.squareMean = squareMean;
    }

    /**
     * Zero moments for {@code weight}.
     *
     * @param weight   not modified; its manager must outlive the run (the model's manager, not a
     *                 per-step scope)
     * @param withDecay whether to keep the EMA of ωθ (ω &gt; 0)
     */
    static AdamMoments zerosLike(NDArray weight, boolean withDecay) {
        NDManager manager = weight.getManager().newSubManager();
        NDArray decayMean = withDecay ? manager.zeros(weight.getShape(), weight.getDataType()) : null;
        return new AdamMoments(manager, manager.zeros(weight.getShape(), weight.getDataType()), decayMean,
                manager.zeros(weight.getShape(), weight.getDataType()));
    }

    /** m_grad: the EMA of ∇. Updated in place by the run. */
    NDArray gradientMean() {
        return gradientMean;
    }

    /** m_wd: the EMA of ωθ; {@code null} when ω = 0. Updated in place by the run. */
    NDArray decayMean() {
        return decayMean;
    }

    /** v: the EMA of (∇ + ωθ)². Updated in place by the run. */
    NDArray squareMean() {
        return squareMean;
    }

    /** Steps taken so far (0 before the first). */
    long steps() {
        return steps;
    }

    /** Records one more step taken. */
    void advance() {
        steps++;
    }

    @Override
    public void close() {
        manager.close();
    }
}
