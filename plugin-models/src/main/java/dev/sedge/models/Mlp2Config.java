package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of {@link Mlp2Architecture}; the compact constructor is its only validator.
 *
 * @param hidden     K, hidden units, &ge; 1
 * @param activation σ
 * @param loss          the per-head loss
 * @param lossReduction how each head's loss combines the examples of a batch
 * @param init          how both weight matrices are drawn (scale and family)
 */
record Mlp2Config(int hidden, Activation activation, LossKind loss, LossKind.Reduction lossReduction,
                  FanInInitializer init) {

    static final String HIDDEN = "hidden";
    static final String ACTIVATION = "activation";
    static final String LOSS = "loss";
    static final String LOSS_REDUCTION = "loss-reduction";
    static final String INIT = "init";
    static final String INIT_SCALE = "init-scale";

    /** The largest K accepted, to keep a mistyped value from allocating gigabytes. */
    static final int MAX_HIDDEN = 1 << 20;

    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofInt(HIDDEN, 2048, "K, the number of hidden units, 1 to " + MAX_HIDDEN),
            ConfigKey.ofString(ACTIVATION, "square", "hidden non-linearity: square (x^2) or relu"),
            ConfigKey.ofString(LOSS, "zero-mean-mse-no-half",
                    "zero-mean-mse-no-half: |P(Y - y)|^2 with Y the one-hot label and P removing the mean over"
                            + " classes, summed over classes (the Feature Repulsion paper's code); zero-mean-mse:"
                            + " 1/2 of that (the paper's text); or cross-entropy; reduced over examples by"
                            + " loss-reduction; summed over heads. The 1/2 matters under coupled L2 weight decay:"
                            + " Adam normalises g = grad L + wd theta, so halving L doubles the weight of wd"
                            + " (with the 1/2 the lock-in runs grok earlier and the detector fires in 5 of 15"
                            + " seeds instead of 15 of 15; docs/science.md)"),
            ConfigKey.ofString(LOSS_REDUCTION, "mean",
                    "how the per-example losses combine: mean or sum over the batch. It sets the gradient scale"
                            + " coupled L2 weight decay is weighed against: sum makes the same weight-decay N times"
                            + " weaker for a batch of N"),
            ConfigKey.ofString(INIT, "uniform",
                    "initial weights: uniform U(-s/sqrt(fan_in), s/sqrt(fan_in)) (PyTorch nn.Linear's default for s = 1)"
                            + " or normal N(0, s^2/fan_in); fan_in = sequence length x vocabulary for layer1,"
                            + " hidden for layer2; drawn from the engine's seed"),
            ConfigKey.ofDouble(INIT_SCALE, 1.0, "s, the scale of the initial weights, > 0"));

    Mlp2Config {
        if (hidden < 1 || hidden > MAX_HIDDEN) {
            throw new IllegalArgumentException(HIDDEN + " must be in [1, " + MAX_HIDDEN + "], found " + hidden);
        }
        Objects.requireNonNull(activation, ACTIVATION);
        Objects.requireNonNull(loss, LOSS);
        Objects.requireNonNull(lossReduction, LOSS_REDUCTION);
        Objects.requireNonNull(init, INIT);
    }

    /**
     * Reads and checks {@code config}.
     *
     * @param config every key of {@link #KEYS}; not modified
     * @throws ConfigException naming the scope and key when a value is out of range or unknown
     */
    static Mlp2Config from(PluginConfig config) {
        try {
            return new Mlp2Config(config.intValue(HIDDEN),
                    Activation.of(ACTIVATION, config.stringValue(ACTIVATION).strip()),
                    LossKind.of(LOSS, config.stringValue(LOSS).strip()),
                    LossKind.Reduction.of(LOSS_REDUCTION, config.stringValue(LOSS_REDUCTION).strip()),
                    new FanInInitializer(FanInInitializer.Distribution.of(INIT, config.stringValue(INIT).strip()),
                            config.doubleValue(INIT_SCALE)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
