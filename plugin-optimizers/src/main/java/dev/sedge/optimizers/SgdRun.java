package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.ParameterBuffers;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of {@link SgdOptimizer}, with the change of every step split exactly into a gradient
 * part and a weight-decay part.
 *
 * <p>For one parameter θ at its t-th update, with ∇ the loss gradient, ω the weight decay, μ the
 * momentum and τ the dampening (PyTorch's {@code torch.optim.SGD}):
 * <pre>
 *   d = ∇ + ωθ                                        d_wd = ωθ
 *   b = d at t = 1, else μ b + (1 − τ) d                b_wd likewise from d_wd     (μ &gt; 0 only)
 *   u = d + μ b (Nesterov), b (momentum), d (μ = 0)   u_wd likewise from d_wd, b_wd
 *   θ ← θ − lr · u                                    Δθ_wd = −lr · u_wd
 * </pre>
 * b is linear in d, so b_wd, the share of the buffer that came from ωθ, is kept in its own
 * buffer and Δθ_wd is exact; the buffer b itself is PyTorch's {@code momentum_buffer}, so the
 * update matches PyTorch up to float rounding. With μ = 0, Δθ_wd = −lr·ωθ.
 *
 * <p>State, per parameter in layout order: {@code sgd.momentum.<parameter>} (μ &gt; 0),
 * {@code sgd.momentum_wd.<parameter>} (μ &gt; 0 and ω &gt; 0), {@code sgd.step.<parameter>}. Call
 * order and memory as {@link AdamRun}. Confined to one thread.
 */
final class SgdRun extends StatefulRun {

    static final String MOMENTUM = "momentum";
    static final String MOMENTUM_WD = "momentum_wd";

    private final SgdConfig config;

    /**
     * @param parameters every parameter the run will update; not modified
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    SgdRun(SgdConfig config, List<TensorInfo> parameters) {
        this.config = config;
        List<String> slots = config.momentum() == 0 ? List.of()
                : config.weightDecay() > 0 ? List.of(MOMENTUM, MOMENTUM_WD) : List.of(MOMENTUM);
        super(config.weightDecay() > 0
                ? new RunState("sgd", parameters, info -> slots, Set.of(MOMENTUM_WD), Map.of())
                : new RunState("sgd", parameters, info -> slots, Set.of(), Map.of(MOMENTUM_WD, "")),
                config.learningRate());
    }

    /**
     * {@inheritDoc}
     *
     * @param weight   modified: θ ← θ − lr·u, in place; its shape is the layout's
     * @param gradient not modified: ∇, the loss gradient alone (the run adds ωθ itself)
     * @param decay    nullable; modified: Δθ_wd is added to it (nothing when ω = 0)
     * @throws IllegalArgumentException for an unknown parameter or a shape that differs from the layout
     * @throws IllegalStateException    if the run is closed or {@code step} is out of order
     */
    @Override
    public void update(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        long taken = state.begin(step, parameter, weight, gradient, decay);
        boolean momentum = config.momentum() > 0;
        apply(taken, momentum ? state.slot(parameter, MOMENTUM) : null,
                momentum && config.weightDecay() > 0 ? state.slot(parameter, MOMENTUM_WD) : null, weight, gradient,
                decay);
        state.advance(parameter);
    }

    /** {@inheritDoc} The same update, once over the flat arrays. */
    @Override
    public void update(long step, ParameterBuffers parameters) {
        long taken = state.beginAll(step, parameters);
        boolean momentum = config.momentum() > 0;
        apply(taken, momentum ? state.flatSlot(MOMENTUM) : null,
                momentum && config.weightDecay() > 0 ? state.flatSlot(MOMENTUM_WD) : null, parameters.weights(),
                parameters.gradients(), parameters.decay());
        state.advanceAll();
    }

    /**
     * @param taken       steps taken before this one
     * @param buffer      null without momentum; modified: b
     * @param decayBuffer null without momentum or weight decay; modified: b_wd
     */
    private void apply(long taken, NDArray buffer, NDArray decayBuffer, NDArray weight, NDArray gradient,
                       NDArray decay) {
        boolean decayed = config.weightDecay() > 0;
        float lr = (float) config.learningRate();
        float mu = (float) config.momentum();
        float keep = (float) (1 - config.dampening());
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            // Every allocating operation below has a scope-owned first operand, so its result is freed with scope.
            NDArray theta = weight.stopGradient();
            NDArray grad = gradient.stopGradient();
            scope.attachAll(theta, grad);
            NDArray decayTerm = decayed ? theta.mul((float) config.weightDecay()) : null;
            NDArray direction = decayed ? grad.add(decayTerm) : grad;
            NDArray decayDirection = decayTerm;
            if (buffer != null) {
                scope.tempAttachAll(decayBuffer != null ? new NDArray[] {buffer, decayBuffer} : new NDArray[] {buffer});
                accumulate(buffer, direction, taken, mu, keep);
                if (decayBuffer != null) {
                    accumulate(decayBuffer, decayTerm, taken, mu, keep);
                }
                if (config.nesterov()) {
                    direction = direction.add(buffer.mul(mu));
                    decayDirection = decayBuffer != null ? decayTerm.add(decayBuffer.mul(mu)) : null;
                } else {
                    direction = buffer;
                    decayDirection = decayBuffer;
                }
            }
            if (decay != null && decayDirection != null) {
                decay.addi(decayDirection.mul(-lr));
            }
            theta.addi(direction.mul(-lr));
        }
    }

    /** b ← d at the first step (b is zero then), else b ← μ b + (1 − τ) d. */
    private static void accumulate(NDArray buffer, NDArray direction, long taken, float mu, float keep) {
        if (taken == 0) {
            buffer.addi(direction);
        } else {
            buffer.muli(mu).addi(direction.mul(keep));
        }
    }
}
