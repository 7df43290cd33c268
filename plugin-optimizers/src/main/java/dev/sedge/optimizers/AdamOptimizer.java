package dev.sedge.optimizers;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;

/**
 * {@code adam}: Adam with coupled L2 weight decay, step for step the update of
 * {@code torch.optim.Adam(lr, betas=(beta1, beta2), eps, weight_decay)} (no amsgrad, no
 * maximize).
 *
 * <p>With g = ∇ + ωθ, m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², the step is
 * θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε). Because m is linear in g, the run keeps
 * the EMA of ∇ and the EMA of ωθ apart and reports the weight-decay part of every step exactly;
 * see {@link AdamRun}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AdamOptimizer implements Optimizer {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Adam with coupled L2 weight decay (torch.optim.Adam), exact gradient / weight-decay split",
            AdamConfig.KEYS.toArray(ConfigKey[]::new));

    /** For {@link java.util.ServiceLoader}. */
    public AdamOptimizer() {
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sedge.api.ConfigException for a value out of range
     * @throws IllegalArgumentException      for duplicate or non-floating parameters
     */
    @Override
    public OptimizerRun create(PluginConfig config, List<TensorInfo> parameters) {
        return new AdamRun(AdamConfig.from(config), parameters);
    }
}
