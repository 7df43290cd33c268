package dev.sedge.optimizers;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;

/**
 * What Adam and AdamW configure alike (lr, β1, β2, ε, a weight decay) and check alike: the key
 * names, the keys with PyTorch's defaults, the one validation and the one reading. They differ only
 * in what the weight decay means, so {@link AdamConfig} and {@link AdamWConfig} stay two types.
 */
final class AdamSettings {

    static final String LEARNING_RATE = "learning-rate";
    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String EPSILON = "epsilon";
    static final String WEIGHT_DECAY = "weight-decay";

    /** A record made from the five values, in key order. */
    @FunctionalInterface
    interface Maker<T> {
        T make(double learningRate, double beta1, double beta2, double epsilon, double weightDecay);
    }

    private AdamSettings() {
    }

    /** The keys, in documentation order, with PyTorch's defaults and {@code weightDecay}'s own. */
    static List<ConfigKey> keys(double weightDecay, String weightDecayMeaning) {
        return List.of(
                ConfigKey.ofDouble(LEARNING_RATE, 1e-3, "step size lr, > 0"),
                ConfigKey.ofDouble(BETA1, 0.9, "decay of the first-moment EMA, in [0, 1)"),
                ConfigKey.ofDouble(BETA2, 0.999, "decay of the second-moment EMA, in [0, 1)"),
                ConfigKey.ofDouble(EPSILON, 1e-8, "added to sqrt(v-hat) in the denominator, > 0"),
                ConfigKey.ofDouble(WEIGHT_DECAY, weightDecay, weightDecayMeaning));
    }

    /** @throws IllegalArgumentException naming the first key out of range */
    static void check(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
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
     * Reads {@code config} (every key of {@link #keys}) into {@code maker}'s record.
     *
     * @throws ConfigException naming the scope and key when a value is out of range
     */
    static <T> T read(PluginConfig config, Maker<T> maker) {
        try {
            return maker.make(config.doubleValue(LEARNING_RATE), config.doubleValue(BETA1), config.doubleValue(BETA2),
                    config.doubleValue(EPSILON), config.doubleValue(WEIGHT_DECAY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
