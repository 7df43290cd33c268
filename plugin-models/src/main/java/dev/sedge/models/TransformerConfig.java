package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of {@link TransformerArchitecture}; the compact constructor is its only
 * validator.
 *
 * @param layers L, encoder layers, in [1, {@value #MAX_LAYERS}]
 * @param dModel d, the width of the residual stream, in [1, {@value #MAX_WIDTH}], a multiple of
 *               {@code heads}
 * @param heads  attention heads per layer, &ge; 1; each head has d / heads dimensions
 * @param ff     hidden width of each layer's MLP, in [1, {@value #MAX_WIDTH}]
 * @param cls    whether a learned CLS vector is prepended at position 0 (the readout position)
 * @param loss   the per-head loss, summed over heads
 * @param initScale s, the factor on every initial weight, bias and embedding, finite and &gt; 0
 */
record TransformerConfig(int layers, int dModel, int heads, int ff, boolean cls, LossKind loss, double initScale) {

    static final String LAYERS = "layers";
    static final String D_MODEL = "d-model";
    static final String HEADS = "heads";
    static final String FF = "ff";
    static final String CLS = "cls";
    static final String LOSS = "loss";
    static final String INIT_SCALE = "init-scale";

    static final int MAX_LAYERS = 64;
    static final int MAX_WIDTH = 1 << 14;

    /** The keys, in documentation order; the defaults are the functional-modes protocol (docs/science.md, "Other experiment setups"). */
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofInt(LAYERS, 2, "L, the number of pre-LN encoder layers, 1 to " + MAX_LAYERS),
            ConfigKey.ofInt(D_MODEL, 128, "d, the width of the residual stream, a multiple of heads"),
            ConfigKey.ofInt(HEADS, 4, "attention heads per layer, each of d / heads dimensions"),
            ConfigKey.ofInt(FF, 256, "hidden width of each layer's GELU MLP"),
            ConfigKey.ofBoolean(CLS, false,
                    "prepend a learned CLS vector at position 0 and read out from it, instead of reading out"
                            + " from the first token (which sees every token through attention either way)"),
            ConfigKey.ofString(LOSS, "cross-entropy",
                    "per-head loss, averaged over examples and summed over heads: cross-entropy, zero-mean-mse (1/2 |P(Y - y)|^2) or zero-mean-mse-no-half (|P(Y - y)|^2)"),
            initScaleKey());

    /**
     * {@code init-scale}, shared by every transformer architecture of this module: s multiplies each
     * initial value but the LayerNorms' ({@link EncoderLayer#scaleInitialValues}).
     */
    static ConfigKey initScaleKey() {
        return ConfigKey.ofDouble(INIT_SCALE, 1.0, "s, multiplies every initial weight, bias and embedding (LayerNorm"
                + " gains and shifts stay 1 and 0); 1 is PyTorch's defaults, larger starts the weights farther out");
    }

    /** @throws IllegalArgumentException unless {@code initScale} is finite and &gt; 0 */
    static void checkInitScale(double initScale) {
        if (!(initScale > 0) || Double.isInfinite(initScale)) {
            throw new IllegalArgumentException(INIT_SCALE + " must be a finite number > 0, found " + initScale);
        }
    }

    TransformerConfig {
        check(LAYERS, layers, 1, MAX_LAYERS);
        check(D_MODEL, dModel, 1, MAX_WIDTH);
        check(HEADS, heads, 1, MAX_WIDTH);
        check(FF, ff, 1, MAX_WIDTH);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(D_MODEL + " must be a multiple of " + HEADS + ", found d-model "
                    + dModel + " and heads " + heads + "; pick d-model = heads x (dimensions per head)");
        }
        Objects.requireNonNull(loss, LOSS);
        checkInitScale(initScale);
    }

    private static void check(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], found " + value);
        }
    }

    /** Dimensions per attention head, d / heads. */
    int headSize() {
        return dModel / heads;
    }

    /**
     * Reads and checks {@code config}.
     *
     * @param config every key of {@link #KEYS}; not modified
     * @throws ConfigException naming the scope and key when a value is out of range or unknown
     */
    static TransformerConfig from(PluginConfig config) {
        try {
            return new TransformerConfig(config.intValue(LAYERS), config.intValue(D_MODEL), config.intValue(HEADS),
                    config.intValue(FF), config.booleanValue(CLS), LossKind.of(LOSS, config.stringValue(LOSS).strip()),
                    config.doubleValue(INIT_SCALE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
