package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The AdamW update of one parameter at one step, as {@code torch.optim.AdamW} (PyTorch 1.13,
 * single-tensor path, no amsgrad) makes it:
 * <pre>
 *   Δθ_wd = −lr·ω·θ                 θ ← θ·(1 − lr·ω)
 *   m ← β1 m + (1 − β1) ∇           v ← β2 v + (1 − β2) ∇²
 *   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 * The weight-decay part of the change is exactly Δθ_wd = −lr·ω·θ_prev (computed from the
 * weight before the step); everything else comes from the gradient. Shared by
 * {@link AdamWRun} and the AdamW half of {@link MuonRun}.
 */
final class AdamWUpdate {

    private AdamWUpdate() {
    }

    /**
     * Applies step {@code step} in place.
     *
     * @param step     1-based step of this parameter
     * @param m        modified: the first moment, the weight's shape
     * @param v        modified: the second moment, the weight's shape
     * @param weight   modified: θ, in place on a detached view
     * @param gradient not modified: ∇
     * @param decay    nullable; modified: Δθ_wd is added to it (nothing when ω = 0)
     */
    static void apply(AdamWConfig config, long step, NDArray m, NDArray v, NDArray weight, NDArray gradient,
                      NDArray decay) {
        double lrDecay = config.learningRate() * config.weightDecay();
        float beta1 = (float) config.beta1();
        float beta2 = (float) config.beta2();
        float oneMinusBeta1 = (float) (1 - config.beta1());
        float oneMinusBeta2 = (float) (1 - config.beta2());
        double correction1 = 1 - Math.pow(config.beta1(), step);
        double correction2 = 1 - Math.pow(config.beta2(), step);
        float negativeStepSize = (float) -(config.learningRate() / correction1);
        float correction2Sqrt = (float) Math.sqrt(correction2);
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            // Every allocating operation below has a scope-owned first operand, so its result is freed with scope.
            NDArray theta = weight.stopGradient();
            NDArray grad = gradient.stopGradient();
            scope.attachAll(theta, grad);
            scope.tempAttachAll(m, v);
            if (lrDecay > 0) {
                if (decay != null) {
                    decay.addi(theta.mul((float) -lrDecay));
                }
                theta.muli((float) (1 - lrDecay));
            }
            m.muli(beta1).addi(grad.mul(oneMinusBeta1));
            v.muli(beta2).addi(grad.mul(grad).muli(oneMinusBeta2));
            NDArray denominator = v.sqrt().divi(correction2Sqrt).addi((float) config.epsilon());
            theta.addi(m.div(denominator).muli(negativeStepSize));
        }
    }
}
