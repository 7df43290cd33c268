package dev.sedge.optimizers;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;

/**
 * {@code adamw}: Adam with decoupled weight decay, step for step the update of
 * {@code torch.optim.AdamW(lr, betas=(beta1, beta2), eps, weight_decay)} (no amsgrad, no
 * maximize): θ ← θ − lr·ω·θ, then the Adam step on the loss gradient alone. The weight-decay
 * part of every step is exactly −lr·ω·θ_prev; see {@link AdamWUpdate}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AdamWOptimizer implements Optimizer {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "AdamW, decoupled weight decay (torch.optim.AdamW), exact gradient / weight-decay split",
            AdamWConfig.KEYS.toArray(ConfigKey[]::new));

    /** For {@link java.util.ServiceLoader}. */
    public AdamWOptimizer() {
    }

    @Override
    public String name() {
        return "adamw";
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
        return new AdamWRun(AdamWConfig.from(config), parameters);
    }
}
