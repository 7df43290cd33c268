package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import java.util.List;

/**
 * The configuration of {@link EncoderDecoderArchitecture}; the compact constructor is its only validator.
 *
 * @param encoderLayers encoder layers, in [1, {@value TransformerConfig#MAX_LAYERS}]
 * @param decoderLayers decoder layers, in [1, {@value TransformerConfig#MAX_LAYERS}]
 * @param dModel        d, the width of both residual streams, in [1, {@value TransformerConfig#MAX_WIDTH}], a
 *                      multiple of {@code heads}
 * @param heads         attention heads per attention, &ge; 1; each head has d / heads dimensions
 * @param ff            hidden width of every layer's MLP, in [1, {@value TransformerConfig#MAX_WIDTH}]
 * @param initScale     s, the factor on every initial weight, bias and embedding, finite and &gt; 0
 */
record EncoderDecoderConfig(int encoderLayers, int decoderLayers, int dModel, int heads, int ff, double initScale) {

    static final String ENCODER_LAYERS = "encoder-layers";
    static final String DECODER_LAYERS = "decoder-layers";

    /** The keys, in documentation order; the defaults are the Lifecycle paper's SCAN model (docs/training.md). */
    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.ofInt(ENCODER_LAYERS, 3, "pre-LN encoder layers over the input tokens, 1 to "
                    + TransformerConfig.MAX_LAYERS),
            ConfigKey.ofInt(DECODER_LAYERS, 3, "pre-LN decoder layers (causal self-attention, cross-attention to the"
                    + " encoder, MLP), 1 to " + TransformerConfig.MAX_LAYERS),
            ConfigKey.ofInt(TransformerConfig.D_MODEL, 256, "d, the width of the residual streams, a multiple of heads"),
            ConfigKey.ofInt(TransformerConfig.HEADS, 4, "attention heads per attention, each of d / heads dimensions"),
            ConfigKey.ofInt(TransformerConfig.FF, 512, "hidden width of each layer's GELU MLP"),
            TransformerConfig.initScaleKey());

    EncoderDecoderConfig {
        check(ENCODER_LAYERS, encoderLayers, 1, TransformerConfig.MAX_LAYERS);
        check(DECODER_LAYERS, decoderLayers, 1, TransformerConfig.MAX_LAYERS);
        check(TransformerConfig.D_MODEL, dModel, 1, TransformerConfig.MAX_WIDTH);
        check(TransformerConfig.HEADS, heads, 1, TransformerConfig.MAX_WIDTH);
        check(TransformerConfig.FF, ff, 1, TransformerConfig.MAX_WIDTH);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(TransformerConfig.D_MODEL + " must be a multiple of "
                    + TransformerConfig.HEADS + ", found d-model " + dModel + " and heads " + heads
                    + "; pick d-model = heads x (dimensions per head)");
        }
        TransformerConfig.checkInitScale(initScale);
    }

    private static void check(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], found " + value);
        }
    }

    /**
     * Reads and checks {@code config}.
     *
     * @param config every key of {@link #KEYS}; not modified
     * @throws ConfigException naming the scope and key when a value is out of range
     */
    static EncoderDecoderConfig from(PluginConfig config) {
        try {
            return new EncoderDecoderConfig(config.intValue(ENCODER_LAYERS), config.intValue(DECODER_LAYERS),
                    config.intValue(TransformerConfig.D_MODEL), config.intValue(TransformerConfig.HEADS),
                    config.intValue(TransformerConfig.FF), config.doubleValue(TransformerConfig.INIT_SCALE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }
}
