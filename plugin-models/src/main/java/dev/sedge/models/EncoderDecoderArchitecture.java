package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;
import java.util.List;

/**
 * {@code encoder-decoder}: the pre-LN encoder–decoder transformer of the Lifecycle paper's SCAN protocol
 * (docs/training.md), PyTorch's {@code nn.Transformer} with {@code norm_first=True} and GELU: learned token
 * and position embeddings for the inputs, a separate pair for the decoder's symbols, a bidirectional encoder
 * that masks the input padding, a causal decoder with cross-attention to the encoder, and a final linear
 * onto the head's classes. See {@link EncoderDecoderBlock}. No dropout.
 *
 * <p>Trains a task whose targets are an output sequence ({@code TargetSpec.Decoded}: {@code scan}) with one
 * head, under teacher forcing: the host feeds the decoder bos, y_0 … (docs/tasks.md). Refuses a label task
 * and a task with a target per input position with a {@link ConfigException} naming what to choose.
 *
 * <p>Loss: cross-entropy averaged over the non-IGNORE target positions ({@link TokenLoss}).
 *
 * <p>Number of parameters, for vocabulary n, S input positions, T output positions, C classes, E encoder
 * and D decoder layers: (n + S + C + T)·d + E·(4d² + 4d + 4d + 2·d·ff + ff + d) + 2d
 * + D·(8d² + 8d + 6d + 2·d·ff + ff + d) + 2d + C·d + C.
 *
 * <p>Groups: {@code attn} (the default: every Q, K, V and O weight matrix, self- and cross-attention),
 * {@code cross}, {@code encoder}, {@code decoder}, {@code mlp}, {@code embed}, {@code head}, {@code all}.
 * Probe points: {@code residual} (the decoder's residual stream before the final LayerNorm) and
 * {@code logits}. Stateless and thread-safe.
 */
public final class EncoderDecoderArchitecture implements Architecture {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "pre-LN encoder-decoder transformer (nn.Transformer, GELU, learned positions) for seq2seq tasks:"
                    + " teacher-forced cross-entropy, greedy decoding",
            EncoderDecoderConfig.KEYS.toArray(dev.sedge.api.ConfigKey[]::new));

    private static final List<ParameterGroup> GROUPS = List.of(
            new ParameterGroup("attn", "*.attn.*.weight,*.cross.*.weight",
                    "Q, K, V and O weight matrices of every attention: encoder, decoder and cross"),
            new ParameterGroup("cross", "decoder.*.cross.*.weight", "Q, K, V and O weights of the cross-attention"),
            new ParameterGroup("encoder", "encoder.*", "every parameter of the encoder layers"),
            new ParameterGroup("decoder", "decoder.*", "every parameter of the decoder layers"),
            new ParameterGroup("mlp", "*.mlp.*", "both MLP layers of every layer, weights and biases"),
            new ParameterGroup("embed", "embed.*", "the input and decoder token and position embeddings"),
            new ParameterGroup("head", "head.*", "the final linear, weights and biases"),
            new ParameterGroup("all", "*", "every parameter"));

    /** For {@link java.util.ServiceLoader}. */
    public EncoderDecoderArchitecture() {
    }

    @Override
    public String name() {
        return "encoder-decoder";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConfigException for a task without a decoded target spec, with more than one head, or a value
     *                         out of range
     */
    @Override
    public ModelSpec create(PluginConfig config, TaskShape shape) {
        TargetSpec.Decoded spec = ShapeChecks.requireDecoded(name(), shape);
        EncoderDecoderConfig parsed = EncoderDecoderConfig.from(config);
        EncoderDecoderBlock block = new EncoderDecoderBlock(shape.vocabularySize(), shape.sequenceLength(),
                shape.headClasses().getFirst(), spec, parsed);
        return new EncoderDecoderSpec(block, new TokenLoss(), GROUPS);
    }

    /** The number of parameters of a model of this shape: the formula of the class comment. */
    static long parameterCount(EncoderDecoderConfig config, TaskShape shape) {
        long d = config.dModel();
        long ff = config.ff();
        long classes = shape.headClasses().getFirst();
        long count = (shape.vocabularySize() + shape.sequenceLength() + classes
                + shape.targetSpec().orElseThrow().length()) * d;
        count += config.encoderLayers() * (4 * d * d + 4 * d + 4 * d + 2 * d * ff + ff + d) + 2 * d;
        count += config.decoderLayers() * (8 * d * d + 8 * d + 6 * d + 2 * d * ff + ff + d);
        return count + 2 * d + classes * d + classes;
    }
}
