package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import java.util.List;
import java.util.Set;

/**
 * {@code causal-transformer}: the L-layer causal pre-LN transformer of the Lifecycle paper's Dyck-1
 * protocol (docs/science.md): learned token and position embeddings, per layer x += Attn(LN(x)) under a
 * causal mask and x += MLP(LN(x)) with GELU, a final LayerNorm, and one linear head per task head at
 * every position. See {@link CausalTransformerBlock} and {@link EncoderLayer}. No dropout.
 *
 * <p>Trains a task with a target per input position ({@code TargetSpec.Aligned}: {@code dyck1-depth});
 * refuses a label task and a seq2seq task with a {@link ConfigException}.
 *
 * <p>Loss: cross-entropy per head averaged over the non-IGNORE positions of the batch, summed over
 * heads ({@link TokenLoss}).
 *
 * <p>Number of parameters, for vocabulary n, T positions, heads with C_h classes:
 * n·d + T·d + L·(4d² + 4d + 4d + 2·d·ff + ff + d) + 2d + Σ_h (C_h·d + C_h).
 *
 * <p>Groups: as {@code transformer}'s, {@code attn} (the default), {@code mlp}, {@code embed},
 * {@code head}, {@code all}. Probe points: {@code residual} (the default: the residual stream at every
 * position before the final LayerNorm, batch × T·d) and {@code logits} (batch × T·ΣC_h).
 *
 * <p>Stateless and thread-safe.
 */
public final class CausalTransformerArchitecture implements Architecture {

    private static final Set<String> KEY_NAMES = Set.of(TransformerConfig.LAYERS, TransformerConfig.D_MODEL,
            TransformerConfig.HEADS, TransformerConfig.FF, TransformerConfig.INIT_SCALE);

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "causal pre-LN transformer (GELU MLP, learned positions), a linear head at every position, cross-entropy"
                    + " over the non-padding positions",
            TransformerConfig.KEYS.stream().filter(k -> KEY_NAMES.contains(k.name())).toArray(ConfigKey[]::new));

    private static final List<ParameterGroup> GROUPS = List.of(
            new ParameterGroup("attn", "blocks.*.attn.*.weight", "Q, K, V and O weight matrices of every layer"),
            new ParameterGroup("mlp", "blocks.*.mlp.*", "both MLP layers of every layer, weights and biases"),
            new ParameterGroup("embed", "embed.*", "token and position embeddings"),
            new ParameterGroup("head", "head.*", "every per-position head, weights and biases"),
            new ParameterGroup("all", "*", "every parameter"));

    /** For {@link java.util.ServiceLoader}. */
    public CausalTransformerArchitecture() {
    }

    @Override
    public String name() {
        return "causal-transformer";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConfigException for a task without aligned per-position targets, or a value out of range
     */
    @Override
    public ModelSpec create(PluginConfig config, TaskShape shape) {
        ShapeChecks.requireAligned(name(), shape);
        TransformerConfig parsed = parse(config);
        CausalTransformerBlock block = new CausalTransformerBlock(shape.vocabularySize(), shape.sequenceLength(),
                shape.headClasses(), parsed);
        return new ReadoutSpec(block, new TokenLoss(), GROUPS);
    }

    private static TransformerConfig parse(PluginConfig config) {
        try {
            return new TransformerConfig(config.intValue(TransformerConfig.LAYERS),
                    config.intValue(TransformerConfig.D_MODEL), config.intValue(TransformerConfig.HEADS),
                    config.intValue(TransformerConfig.FF), false, LossKind.CROSS_ENTROPY,
                    config.doubleValue(TransformerConfig.INIT_SCALE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value in " + config.scope() + ": " + e.getMessage(), e);
        }
    }

    /** The number of parameters of a model of this shape: the formula of the class comment. */
    static long parameterCount(TransformerConfig config, TaskShape shape) {
        long d = config.dModel();
        long ff = config.ff();
        long count = (long) shape.vocabularySize() * d + (long) shape.sequenceLength() * d;
        count += config.layers() * (4 * d * d + 4 * d + 4 * d + 2 * d * ff + ff + d);
        count += 2 * d;
        for (int classes : shape.headClasses()) {
            count += classes * d + classes;
        }
        return count;
    }
}
