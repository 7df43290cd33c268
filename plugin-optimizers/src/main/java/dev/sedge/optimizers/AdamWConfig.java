package dev.sedge.optimizers;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;

/**
 * The configuration of {@link AdamWOptimizer}, and of the AdamW half of {@link MuonOptimizer};
 * the compact constructor is its only validator.
 *
 * @param learningRate lr &gt; 0
 * @param beta1        first-moment decay, in [0, 1)
 * @param beta2        second-moment decay, in [0, 1)
 * @param epsilon      added to √v̂ in the denominator, &gt; 0
 * @param weightDecay  ω &ge; 0, decoupled: θ ← θ − lr·ω·θ before the Adam step
 */
record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    /** The keys, in documentation order, with the defaults of {@code torch.optim.AdamW}. */
    static final List<ConfigKey> KEYS = AdamSettings.keys(1e-2,
            "decoupled weight decay w >= 0: theta <- theta - lr * w * theta before the Adam step");

    AdamWConfig {
        AdamSettings.check(learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /**
     * Reads and checks {@code config}.
     *
     * @param config every key of {@link #KEYS}; not modified
     * @throws dev.sedge.api.ConfigException naming the scope and key when a value is out of range
     */
    static AdamWConfig from(PluginConfig config) {
        return AdamSettings.read(config, AdamWConfig::new);
    }
}
