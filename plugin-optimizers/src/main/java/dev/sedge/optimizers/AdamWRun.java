package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.ParameterBuffers;
import java.util.List;

/**
 * One run of {@link AdamWOptimizer}: the update of {@link AdamWUpdate} per parameter.
 *
 * <p>State, per parameter in layout order: {@code adamw.m.<parameter>} and
 * {@code adamw.v.<parameter>} (PyTorch's {@code exp_avg}, {@code exp_avg_sq}) and
 * {@code adamw.step.<parameter>}. Call order and memory as {@link AdamRun}. Confined to one
 * thread.
 */
final class AdamWRun extends StatefulRun {

    static final String MEAN = "m";
    static final String SQUARE_MEAN = "v";

    private final AdamWConfig config;

    /**
     * @param parameters every parameter the run will update; not modified
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    AdamWRun(AdamWConfig config, List<TensorInfo> parameters) {
        this.config = config;
        super(new RunState("adamw", parameters, info -> List.of(MEAN, SQUARE_MEAN)), config.learningRate());
    }

    /**
     * {@inheritDoc}
     *
     * @param weight   modified: in place; its shape is the layout's
     * @param gradient not modified: ∇, the loss gradient
     * @param decay    nullable; modified: −lr·ω·θ_prev is added to it (nothing when ω = 0)
     * @throws IllegalArgumentException for an unknown parameter or a shape that differs from the layout
     * @throws IllegalStateException    if the run is closed or {@code step} is out of order
     */
    @Override
    public void update(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        state.begin(step, parameter, weight, gradient, decay);
        AdamWUpdate.apply(config, step, state.slot(parameter, MEAN), state.slot(parameter, SQUARE_MEAN), weight,
                gradient, decay);
        state.advance(parameter);
    }

    /** {@inheritDoc} The same update, once over the flat arrays. */
    @Override
    public void update(long step, ParameterBuffers parameters) {
        state.beginAll(step, parameters);
        AdamWUpdate.apply(config, step, state.flatSlot(MEAN), state.flatSlot(SQUARE_MEAN), parameters.weights(),
                parameters.gradients(), parameters.decay());
        state.advanceAll();
    }
}
