package dev.sedge.optimizers;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;

/**
 * {@code sgd}: stochastic gradient descent with momentum, dampening, Nesterov momentum and
 * coupled L2 weight decay, step for step the update of {@code torch.optim.SGD(lr, momentum,
 * dampening, weight_decay, nesterov)} (no maximize). See {@link SgdRun} for the update and the
 * exact gradient / weight-decay split.
 *
 * <p>Stateless and thread-safe.
 */
public final class SgdOptimizer implements Optimizer {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "SGD with momentum and coupled L2 weight decay (torch.optim.SGD), exact gradient / weight-decay split",
            SgdConfig.KEYS.toArray(ConfigKey[]::new));

    /** For {@link java.util.ServiceLoader}. */
    public SgdOptimizer() {
    }

    @Override
    public String name() {
        return "sgd";
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
        return new SgdRun(SgdConfig.from(config), parameters);
    }
}
