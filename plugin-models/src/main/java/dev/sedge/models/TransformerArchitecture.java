package dev.sedge.models;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import java.util.List;

/**
 * {@code transformer}: the L-layer pre-LN transformer encoder of the functional-modes and g23
 * protocols (docs/science.md, "Other experiment setups"): learned token and position embeddings, per layer
 * x += Attn(LN(x)) and x += MLP(LN(x)) with GELU, a final LayerNorm, and one linear readout per
 * task head from position 0. See {@link TransformerBlock} and {@link EncoderLayer} for the
 * computation, parameter names, shapes and initialisation. No dropout.
 *
 * <p>Input: the task's token sequence as it is ([a, b] over a vocabulary of p for mod-p
 * arithmetic). The readout position 0 holds token a, and since attention is bidirectional it
 * sees b from the first layer on; {@code cls = true} prepends a learned CLS vector at position
 * 0 instead, so the readout position holds no operand of its own.
 *
 * <p>Loss ({@code loss}): cross-entropy (default) or zero-mean MSE per head, averaged over
 * the examples, summed over heads ({@link HeadsLoss}).
 *
 * <p>Number of parameters, for vocabulary n, P positions, heads with C_h classes:
 * n·d + P·d (+ d with CLS) + L·(4d² + 4d + 4d + 2·d·ff + ff + d) + 2d + Σ_h (C_h·d + C_h).
 *
 * <p>Groups: {@code attn} (the Q, K, V, O weight matrices of every layer, the default: the
 * functional-modes protocol logs attention weights), {@code mlp} (both MLP layers of every
 * layer, weights and biases), {@code embed} (token and position embeddings, CLS), {@code head}
 * (every readout), {@code all}.
 *
 * <p>Probe points: {@code residual} (the default: the residual stream at position 0 after the
 * last layer, before the final LayerNorm, batch × d) and {@code logits} (batch × ΣC_h, the
 * heads concatenated in head order).
 *
 * <p>Stateless and thread-safe.
 */
public final class TransformerArchitecture implements Architecture {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "pre-LN transformer encoder (GELU MLP, learned positions), one linear readout per head from position 0",
            TransformerConfig.KEYS.toArray(ConfigKey[]::new));

    private static final List<ParameterGroup> GROUPS = List.of(
            new ParameterGroup("attn", "blocks.*.attn.*.weight", "Q, K, V and O weight matrices of every layer"),
            new ParameterGroup("mlp", "blocks.*.mlp.*", "both MLP layers of every layer, weights and biases"),
            new ParameterGroup("embed", "embed.*", "token and position embeddings (and the CLS vector)"),
            new ParameterGroup("head", "head.*", "every readout head, weights and biases"),
            new ParameterGroup("all", "*", "every parameter"));

    /** For {@link java.util.ServiceLoader}. */
    public TransformerArchitecture() {
    }

    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sedge.api.ConfigException for a sequence task (targets per position), a value out of range or an
     *                                        unknown loss
     */
    @Override
    public ModelSpec create(PluginConfig config, TaskShape shape) {
        ShapeChecks.requireLabels(name(), shape);
        TransformerConfig parsed = TransformerConfig.from(config);
        TransformerBlock block = new TransformerBlock(shape.vocabularySize(), shape.sequenceLength(),
                shape.headClasses(), parsed);
        return new ReadoutSpec(block, new HeadsLoss(parsed.loss()), GROUPS);
    }

    /**
     * The number of parameters of a model of this shape: the formula of the class comment.
     */
    static long parameterCount(TransformerConfig config, TaskShape shape) {
        long d = config.dModel();
        long ff = config.ff();
        long count = (long) shape.vocabularySize() * d
                + (long) TransformerBlock.positions(shape.sequenceLength(), config.cls()) * d
                + (config.cls() ? d : 0);
        count += config.layers() * (4 * d * d + 4 * d + 4 * d + 2 * d * ff + ff + d);
        count += 2 * d;
        for (int classes : shape.headClasses()) {
            count += classes * d + classes;
        }
        return count;
    }
}
