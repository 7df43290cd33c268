package dev.sedge.api.djl.optim;

import ai.djl.ndarray.NDArray;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.List;

/**
 * One run's optimizer state (moments, step count). Confined to one thread.
 *
 * <p>Call order: for each step t = 1, 2, …, either {@link #update(long, String, NDArray, NDArray,
 * NDArray) update} once per parameter or {@link #update(long, ParameterBuffers) update} once for
 * all of them (the trainer's way); a run takes one way throughout. The run keeps no reference to
 * the arrays it is given; its own state lives in arrays it allocates on the (first) weight's
 * manager and closes with the run.
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

    /**
     * Applies step {@code step} to every parameter at once, in place, as the trainer calls it: the
     * parameters are segments of flat arrays ({@link ParameterBuffers}), in the order the run was
     * created with. The result is the same, bit for bit, as {@link #update(long, String, NDArray,
     * NDArray, NDArray) update} once per parameter in that order, which is what this default does on
     * views of the segments; an optimizer whose update is elementwise overrides it with a few
     * operations over the whole flat arrays.
     *
     * @param step       1-based step number
     * @param parameters modified: the weights, and the decay accumulator when present
     */
    default void update(long step, ParameterBuffers parameters) {
        List<TensorInfo> layout = parameters.layout();
        for (int i = 0; i < layout.size(); i++) {
            // views on the flat arrays' manager, which outlives the run, as a weight's manager must
            NDArray weight = parameters.segment(parameters.weights(), i);
            NDArray gradient = parameters.segment(parameters.gradients(), i);
            NDArray decay = parameters.decay() == null ? null : parameters.segment(parameters.decay(), i);
            try {
                update(step, layout.get(i).name(), weight, gradient, decay);
            } finally {
                weight.close(); // a view: the flat array keeps its values
                gradient.close();
                if (decay != null) {
                    decay.close();
                }
            }
        }
    }

    /** The learning rate in force at {@code step} (for the adiabatic parameter and metrics). */
    double learningRate(long step);

    /**
     * The whole optimizer state (moments, step counters …) as plain tensors, copied, so that a
     * checkpointed run can resume to the same result as an uninterrupted one. Names are the
     * run's own ({@code m.layer1.weight}); a fresh run returns its initial state.
     */
    List<Tensor> state();

    /**
     * Restores a state returned by {@link #state()} of a run made with the same configuration and
     * parameters.
     *
     * @param state not modified
     * @throws dev.sedge.api.DataFormatException if a tensor is missing or its shape differs
     */
    void restore(List<Tensor> state);

    /** Releases the optimizer state. */
    @Override
    void close();
}
