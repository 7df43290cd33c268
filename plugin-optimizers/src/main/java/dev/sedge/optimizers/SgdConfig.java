package dev.sedge.optimizers;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;

/**
 * The configuration of {@link SgdOptimizer}; the compact constructor is its only validator.
 *
 * @param learningRate lr &gt; 0
 * @param momentum     μ &ge; 0 (0: no momentum buffer)
 * @param dampening    τ in [0, 1]: the buffer adds (1 − τ) of each new direction
 * @param weightDecay  ω &ge; 0, coupled L2: the direction is ∇ + ωθ
 * @param nesterov     Nesterov momentum; needs μ &gt; 0 and τ = 0, as in PyTorch
 */
record SgdConfig(double learningRate, double momentum, double dampening, double weightDecay, boolean nesterov) {

    static final String LEARNING_RATE = "learning-rate";
    static final String MOMENTUM = "momentum";
    static final String DAMPENING = "dampening";
    static final String WEIGHT_DECAY = "weight-decay";
    static final String NESTEROV = "nesterov";

    /**
     * The keys, in documentation order, with the defaults of {@code torch.optim.SGD} (whose lr
     * default is 1e-3 since PyTorch 2.2; it was a required argument before).
     */
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofDouble(LEARNING_RATE, 1e-3, "step size lr, > 0"),
            ConfigKey.ofDouble(MOMENTUM, 0.0, "momentum factor mu >= 0; 0 keeps no momentum buffer"),
            ConfigKey.ofDouble(DAMPENING, 0.0,
                    "dampening tau in [0, 1]: the buffer adds (1 - tau) of each new direction"),
            ConfigKey.ofDouble(WEIGHT_DECAY, 0.0,
                    "coupled L2 coefficient w >= 0: the direction becomes grad + w * theta before momentum"),
            ConfigKey.ofBoolean(NESTEROV, false, "Nesterov momentum; needs momentum > 0 and dampening 0"));

    SgdConfig {
        check(LEARNING_RATE, learningRate, "> 0", learningRate > 0);
        check(MOMENTUM, momentum, ">= 0", momentum >= 0);
        check(DAMPENING, dampening, "in [0, 1]", dampening >= 0 && dampening <= 1);
        check(WEIGHT_DECAY, weightDecay, ">= 0", weightDecay >= 0);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(NESTEROV + " = true needs " + MOMENTUM + " > 0 and " + DAMPENING
                    + " = 0, found momentum " + momentum + " and dampening " + dampening
                    + "; set a momentum, or turn nesterov off");
        }
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
    static SgdConfig from(PluginConfig config) {
        try {
            return new SgdConfig(config.doubleValue(LEARNING_RATE), config.doubleValue(MOMENTUM),
                    config.doubleValue(DAMPENING), config.doubleValue(WEIGHT_DECAY), config.booleanValue(NESTEROV));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
