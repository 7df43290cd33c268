package dev.sedge.optimizers;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;

/**
 * What every optimizer run of this module shares: its moments and step counters live in one
 * {@link RunState} (exported, restored and closed as a whole), and its learning rate is constant.
 * Subclasses implement {@link #update}. Confined to one thread.
 */
abstract class StatefulRun implements OptimizerRun {

    /** The run's state; subclasses read and write their slots through it. */
    final RunState state;
    private final double learningRate;

    StatefulRun(RunState state, double learningRate) {
        this.state = state;
        this.learningRate = learningRate;
    }

    /** The configured learning rate: these optimizers have no schedule. */
    @Override
    public final double learningRate(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step is 1-based, found " + step);
        }
        return learningRate;
    }

    /** {@inheritDoc} Names: see the subclass's comment. */
    @Override
    public final List<Tensor> state() {
        return state.export();
    }

    /**
     * {@inheritDoc} Replaces the whole state; the weights are the host's to restore.
     *
     * @throws dev.sedge.api.DataFormatException naming the tensor that is missing, unexpected or of
     *         another shape
     */
    @Override
    public final void restore(List<Tensor> saved) {
        state.restore(saved);
    }

    /** Frees every parameter's moments. Idempotent. */
    @Override
    public final void close() {
        state.close();
    }
}
