package dev.sedge.optimizers;

import dev.sedge.api.ConfigException;
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

    static final String LEARNING_RATE = "learning-rate";
    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String EPSILON = "epsilon";
    static final String WEIGHT_DECAY = "weight-decay";

    /** The keys, in documentation order, with the defaults of {@code torch.optim.AdamW}. */
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofDouble(LEARNING_RATE, 1e-3, "step size lr, > 0"),
            ConfigKey.ofDouble(BETA1, 0.9, "decay of the first-moment EMA, in [0, 1)"),
            ConfigKey.ofDouble(BETA2, 0.999, "decay of the second-moment EMA, in [0, 1)"),
            ConfigKey.ofDouble(EPSILON, 1e-8, "added to sqrt(v-hat) in the denominator, > 0"),
            ConfigKey.ofDouble(WEIGHT_DECAY, 1e-2,
                    "decoupled weight decay w >= 0: theta <- theta - lr * w * theta before the Adam step"));

    AdamWConfig {
        check(LEARNING_RATE, learningRate, "> 0", learningRate > 0);
        check(BETA1, beta1, "in [0, 1)", beta1 >= 0 && beta1 < 1);
        check(BETA2, beta2, "in [0, 1)", beta2 >= 0 && beta2 < 1);
        check(EPSILON, epsilon, "> 0", epsilon > 0);
        check(WEIGHT_DECAY, weightDecay, ">= 0", weightDecay >= 0);
    }

    private static void check(String key, double value, String expected, boolean ok) {
        if (!ok || !Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be " + expected + ", found " + value);
        }
    }

    /**
     * Reads and checks {@code config}.
     *
     * @param config every key of {@link #KEYS}; not modified
     * @throws ConfigException naming the scope and key when a value is out of range
     */
    static AdamWConfig from(PluginConfig config) {
        try {
            return new AdamWConfig(config.doubleValue(LEARNING_RATE), config.doubleValue(BETA1),
                    config.doubleValue(BETA2), config.doubleValue(EPSILON), config.doubleValue(WEIGHT_DECAY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
