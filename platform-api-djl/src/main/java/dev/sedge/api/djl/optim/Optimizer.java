package dev.sedge.api.djl.optim;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.List;

/**
 * An optimizer (SGD, Adam, AdamW, Muon …) that reports how much of each step came from the
 * gradient and how much from weight decay.
 */
public interface Optimizer extends Plugin {

    /**
     * Makes the optimizer's state for one run.
     *
     * @param config     scoped to {@code optimizer}
     * @param parameters every trainable parameter, in the order the host will update them
     * @throws dev.sedge.api.ConfigException or {@link IllegalArgumentException} for values out of range
     */
    OptimizerRun create(PluginConfig config, List<TensorInfo> parameters);
}
