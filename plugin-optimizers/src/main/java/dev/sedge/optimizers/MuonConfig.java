package dev.sedge.optimizers;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of {@link MuonOptimizer}; the compact constructor is its only validator.
 *
 * @param learningRate    lr &gt; 0 of the Muon half
 * @param momentum        β in [0, 1) of the momentum buffer
 * @param nesterov        orthogonalise (1 − β)∇ + βb (true) or b (false)
 * @param nsSteps         Newton–Schulz iterations, in [1, 100)
 * @param weightDecay     ω &ge; 0 of the Muon half, decoupled: θ ← θ − lr·ω·θ
 * @param adamwParameters globs ({@code *} any run of characters, {@code ?} one) of parameter names
 *                        that take AdamW even when 2-D; copied
 * @param adamw           the AdamW half, for every parameter that is not 2-D or matches a glob
 */
record MuonConfig(double learningRate, double momentum, boolean nesterov, int nsSteps, double weightDecay,
                  List<String> adamwParameters, AdamWConfig adamw) {

    static final String LEARNING_RATE = "learning-rate";
    static final String MOMENTUM = "momentum";
    static final String NESTEROV = "nesterov";
    static final String NS_STEPS = "ns-steps";
    static final String WEIGHT_DECAY = "weight-decay";
    static final String ADAMW_PARAMETERS = "adamw-parameters";
    /** Prefix of the AdamW half's keys: {@code adamw-learning-rate} … */
    static final String ADAMW = "adamw-";

    /**
     * The keys, in documentation order. Defaults: the Muon half as {@code Muon} of the reference
     * implementation (github.com/KellerJordan/Muon: lr 0.02, momentum 0.95, Nesterov, 5 steps,
     * weight decay 0); the AdamW half as its {@code MuonWithAuxAdam} (lr 3e-4, betas (0.9, 0.95),
     * eps 1e-10, weight decay 0).
     */
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofDouble(LEARNING_RATE, 0.02, "step size lr of the Muon half (2-D weights), > 0"),
            ConfigKey.ofDouble(MOMENTUM, 0.95, "momentum beta of the Muon half, in [0, 1)"),
            ConfigKey.ofBoolean(NESTEROV, true,
                    "orthogonalise the Nesterov direction (1 - beta) grad + beta buffer instead of the buffer"),
            ConfigKey.ofInt(NS_STEPS, 5, "Newton-Schulz iterations, in [1, 100)"),
            ConfigKey.ofDouble(WEIGHT_DECAY, 0.0,
                    "decoupled weight decay w >= 0 of the Muon half: theta <- theta - lr * w * theta"),
            ConfigKey.ofList(ADAMW_PARAMETERS, "*embed*,*head*",
                    "globs (* any run, ? one character) of parameter names updated by AdamW even when 2-D "
                            + "(embeddings, readout heads); parameters that are not 2-D always are"),
            ConfigKey.ofDouble(ADAMW + AdamSettings.LEARNING_RATE, 3e-4, "step size lr of the AdamW half, > 0"),
            ConfigKey.ofDouble(ADAMW + AdamSettings.BETA1, 0.9, "first-moment decay of the AdamW half, in [0, 1)"),
            ConfigKey.ofDouble(ADAMW + AdamSettings.BETA2, 0.95, "second-moment decay of the AdamW half, in [0, 1)"),
            ConfigKey.ofDouble(ADAMW + AdamSettings.EPSILON, 1e-10, "epsilon of the AdamW half, > 0"),
            ConfigKey.ofDouble(ADAMW + AdamSettings.WEIGHT_DECAY, 0.0,
                    "decoupled weight decay w >= 0 of the AdamW half"));

    MuonConfig {
        check(LEARNING_RATE, learningRate, "> 0", learningRate > 0);
        check(MOMENTUM, momentum, "in [0, 1)", momentum >= 0 && momentum < 1);
        check(WEIGHT_DECAY, weightDecay, ">= 0", weightDecay >= 0);
        if (nsSteps < 1 || nsSteps >= 100) {
            throw new IllegalArgumentException(NS_STEPS + " must be in [1, 100), found " + nsSteps);
        }
        adamwParameters = List.copyOf(adamwParameters);
        if (adamwParameters.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(ADAMW_PARAMETERS + " must not hold a blank glob, found "
                    + adamwParameters);
        }
        Objects.requireNonNull(adamw, "adamw");
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
    static MuonConfig from(PluginConfig config) {
        AdamWConfig adamw;
        try {
            adamw = new AdamWConfig(config.doubleValue(ADAMW + AdamSettings.LEARNING_RATE),
                    config.doubleValue(ADAMW + AdamSettings.BETA1), config.doubleValue(ADAMW + AdamSettings.BETA2),
                    config.doubleValue(ADAMW + AdamSettings.EPSILON),
                    config.doubleValue(ADAMW + AdamSettings.WEIGHT_DECAY));
        } catch (IllegalArgumentException e) {
            // AdamWConfig's messages start with the unprefixed key
            throw new ConfigException("bad value in " + config.scope() + ": " + ADAMW + e.getMessage(), e);
        }
        try {
            return new MuonConfig(config.doubleValue(LEARNING_RATE), config.doubleValue(MOMENTUM),
                    config.booleanValue(NESTEROV), config.intValue(NS_STEPS), config.doubleValue(WEIGHT_DECAY),
                    config.listValue(ADAMW_PARAMETERS), adamw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
