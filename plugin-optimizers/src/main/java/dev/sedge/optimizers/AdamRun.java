package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.ParameterBuffers;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of {@link AdamOptimizer}: Adam with coupled L2 weight decay, with the change of every
 * step split exactly into a gradient part and a weight-decay part.
 *
 * <p>For one parameter θ at its t-th update, with ∇ the loss gradient and ω the weight decay:
 * <pre>
 *   m_grad ← β1 m_grad + (1 − β1) ∇        m_wd ← β1 m_wd + (1 − β1) ωθ      (m = m_grad + m_wd)
 *   v      ← β2 v + (1 − β2) (∇ + ωθ)²
 *   d      = √v / √(1 − β2ᵗ) + ε           s = lr / (1 − β1ᵗ)
 *   Δθ_grad = −s · m_grad / d              Δθ_wd = −s · m_wd / d              θ ← θ + Δθ_grad + Δθ_wd
 * </pre>
 * Since m is linear in the gradient, m_grad + m_wd is the m of {@code torch.optim.Adam} and
 * the step is PyTorch's, including where ε sits (outside the square root, after the bias
 * correction of v) and how the bias corrections enter (the step size and the denominator).
 * All arithmetic is in the parameter's data type, scalars rounded to it as PyTorch does; the
 * only difference from PyTorch is float rounding (PyTorch forms m with one {@code lerp}).
 *
 * <p>Call order: for each step t = 1, 2, … call {@link #update} once per parameter; a
 * parameter's t-th call must carry {@code step == t} (an {@link IllegalStateException}
 * otherwise). The state of a parameter (see {@link RunState}) lives in a sub-manager of its
 * weight's manager, created at its first update, so that manager must outlive the run.
 * Temporaries of a step live in a sub-manager closed before {@code update} returns. The update
 * is made on a detached view of the weight, so it works whether or not autograd is recording
 * and never records a graph.
 * Confined to one thread.
 */
final class AdamRun extends StatefulRun {

    static final String GRADIENT_MEAN = "m_grad";
    static final String DECAY_MEAN = "m_wd";
    static final String SQUARE_MEAN = "v";

    private final AdamConfig config;

    /**
     * @param parameters every parameter the run will update; not modified
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    AdamRun(AdamConfig config, List<TensorInfo> parameters) {
        this.config = config;
        List<String> slots = config.weightDecay() > 0 ? List.of(GRADIENT_MEAN, DECAY_MEAN, SQUARE_MEAN)
                : List.of(GRADIENT_MEAN, SQUARE_MEAN);
        super(config.weightDecay() > 0
                ? new RunState("adam", parameters, info -> slots, Set.of(DECAY_MEAN), Map.of())
                : new RunState("adam", parameters, info -> slots, Set.of(), Map.of(DECAY_MEAN, GRADIENT_MEAN)),
                config.learningRate());
    }

    /**
     * {@inheritDoc}
     *
     * @param weight   modified: θ ← θ + Δθ_grad + Δθ_wd, in place; its shape is the layout's
     * @param gradient not modified: ∇, the loss gradient alone (the run adds ωθ itself)
     * @param decay    nullable; modified: Δθ_wd is added to it (nothing when ω = 0); the
     *                 weight's shape and data type
     * @throws IllegalArgumentException for an unknown parameter or a shape that differs from the layout
     * @throws IllegalStateException    if the run is closed or {@code step} is out of order
     */
    @Override
    public void update(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        state.begin(step, parameter, weight, gradient, decay);
        NDArray decayMean = config.weightDecay() > 0 ? state.slot(parameter, DECAY_MEAN) : null;
        apply(step, state.slot(parameter, GRADIENT_MEAN), decayMean, state.slot(parameter, SQUARE_MEAN), weight,
                gradient, decay);
        state.advance(parameter);
    }

    /** {@inheritDoc} The same update, once over the flat arrays. */
    @Override
    public void update(long step, ParameterBuffers parameters) {
        state.beginAll(step, parameters);
        NDArray decayMean = config.weightDecay() > 0 ? state.flatSlot(DECAY_MEAN) : null;
        apply(step, state.flatSlot(GRADIENT_MEAN), decayMean, state.flatSlot(SQUARE_MEAN), parameters.weights(),
                parameters.gradients(), parameters.decay());
        state.advanceAll();
    }

    private void apply(long step, NDArray gradientMean, NDArray decayMean, NDArray squareMean, NDArray weight,
                       NDArray gradient, NDArray decay) {
        float beta1 = (float) config.beta1();
        float beta2 = (float) config.beta2();
        float oneMinusBeta1 = (float) (1 - config.beta1());
        float oneMinusBeta2 = (float) (1 - config.beta2());
        double correction1 = 1 - Math.pow(config.beta1(), step);
        double correction2 = 1 - Math.pow(config.beta2(), step);
        float negativeStepSize = (float) -(config.learningRate() / correction1);
        float correction2Sqrt = (float) Math.sqrt(correction2);
        float epsilon = (float) config.epsilon();
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            // Every allocating operation below has a scope-owned first operand, so its result is freed with scope.
            NDArray theta = weight.stopGradient();
            NDArray grad = gradient.stopGradient();
            scope.attachAll(theta, grad);
            scope.tempAttachAll(decayMean == null ? new NDArray[] {gradientMean, squareMean}
                    : new NDArray[] {gradientMean, decayMean, squareMean});

            NDArray decayTerm = decayMean == null ? null : theta.mul((float) config.weightDecay());
            NDArray full = decayTerm == null ? grad : grad.add(decayTerm);
            gradientMean.muli(beta1).addi(grad.mul(oneMinusBeta1));
            if (decayTerm != null) {
                decayMean.muli(beta1).addi(decayTerm.mul(oneMinusBeta1));
            }
            squareMean.muli(beta2).addi(full.mul(full).muli(oneMinusBeta2));
            NDArray denominator = squareMean.sqrt().divi(correction2Sqrt).addi(epsilon);

            NDArray change = gradientMean.div(denominator).muli(negativeStepSize);
            if (decayTerm != null) {
                NDArray decayPart = decayMean.div(denominator).muli(negativeStepSize);
                change.addi(decayPart);
                if (decay != null) {
                    decay.addi(decayPart);
                }
            }
            theta.addi(change);
        }
    }
}
