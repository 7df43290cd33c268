package dev.sedge.api.optim;

import ai.djl.ndarray.NDArray;

/**
 * One run's optimizer state (moments, step count). Confined to one thread.
 *
 * <p>Call order: for each step t = 1, 2, …, {@link #update} once per parameter. The run keeps no
 * reference to the arrays it is given; its own state lives in arrays it allocates on the
 * weight's manager and closes with the run.
 */
public interface OptimizerRun extends AutoCloseable {

    /**
     * Applies step {@code step} to one parameter, in place.
     *
     * <p>The change Δθ splits exactly into a gradient part and a weight-decay part; when
     * {@code decay} is not null, the weight-decay part of this step is <em>added</em> to it, so
     * the host can accumulate the split over the steps between two snapshots (the gradient part
     * is then Δθ minus the accumulated decay).
     *
     * @param step      1-based step number
     * @param parameter the parameter's name
     * @param weight    modified: updated in place
     * @param gradient  not modified
     * @param decay     nullable; modified: the weight-decay part of the change is added to it
     */
    void update(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay);

    /** The learning rate in force at {@code step} (for the adiabatic parameter and metrics). */
    double learningRate(long step);

    /** Releases the optimizer state. */
    @Override
    void close();
}
