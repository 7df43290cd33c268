package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.function.UnaryOperator;

/**
 * One pre-LN encoder layer of {@link TransformerBlock}:
 * <pre>
 *   x ← x + O · MultiHeadAttention(Q, K, V of LN1(x))
 *   x ← x + fc2 · GELU(fc1 · LN2(x))
 * </pre>
 * with full (bidirectional) attention over every position, softmax(QKᵀ/√d_h)V per head; or, for a
 * <em>causal</em> layer, softmax(QKᵀ/√d_h + M)V with M the upper-triangular −∞ mask (M_ij = −∞ for
 * j &gt; i, else 0: position i attends to positions 0 … i alone), as PyTorch's
 * {@code nn.TransformerEncoderLayer} with {@code generate_square_subsequent_mask} computes it
 * ({@link MultiHeadAttention}). An encoder over padded inputs also masks the padding keys.
 *
 * <p>Parameters, with the prefix {@code blocks.<l>.}, in initialisation order: {@code ln1.weight},
 * {@code ln1.bias} (d); {@code attn.q.weight}, {@code attn.q.bias}, then {@code k}, {@code v},
 * {@code o} likewise (d × d, as PyTorch's {@code nn.Linear}: out × in; bias d);
 * {@code ln2.weight}, {@code ln2.bias} (d); {@code mlp.fc1.weight} (ff × d), {@code mlp.fc1.bias}
 * (ff), {@code mlp.fc2.weight} (d × ff), {@code mlp.fc2.bias} (d). Linear layers take PyTorch's
 * default initialisation U(±1/√fan_in) (weights and biases), LayerNorm gains 1 and shifts 0.
 * Not thread-safe.
 */
final class EncoderLayer {

    /** PyTorch's default {@code nn.LayerNorm} epsilon. */
    static final float LAYER_NORM_EPSILON = 1e-5f;

    private final boolean causal;
    private final Parameter ln1Weight;
    private final Parameter ln1Bias;
    private final MultiHeadAttention attention;
    private final Parameter ln2Weight;
    private final Parameter ln2Bias;
    private final Parameter fc1Weight;
    private final Parameter fc1Bias;
    private final Parameter fc2Weight;
    private final Parameter fc2Bias;

    /**
     * A bidirectional layer.
     *
     * @param index  l, this layer's position in the stack
     * @param adder  registers a parameter with the owning block and returns it
     */
    EncoderLayer(int index, int dModel, int heads, int ff, UnaryOperator<Parameter> adder) {
        this(index, dModel, heads, ff, false, adder);
    }

    /**
     * @param index  l, this layer's position in the stack: the parameters are named {@code blocks.<l>.*}
     * @param causal whether position i attends to positions 0 … i alone (else to every position)
     * @param adder  registers a parameter with the owning block and returns it
     */
    EncoderLayer(int index, int dModel, int heads, int ff, boolean causal, UnaryOperator<Parameter> adder) {
        this("blocks." + index + ".", dModel, heads, ff, causal, adder);
    }

    /**
     * @param prefix the parameters' name prefix, ending in a dot ({@code blocks.0.}, {@code encoder.0.})
     * @param causal whether position i attends to positions 0 … i alone (else to every position)
     * @param adder  registers a parameter with the owning block and returns it
     */
    EncoderLayer(String prefix, int dModel, int heads, int ff, boolean causal, UnaryOperator<Parameter> adder) {
        this.causal = causal;
        ln1Weight = adder.apply(gain(prefix + "ln1.weight", dModel));
        ln1Bias = adder.apply(shift(prefix + "ln1.bias", dModel));
        attention = new MultiHeadAttention(prefix + "attn", dModel, heads, adder);
        ln2Weight = adder.apply(gain(prefix + "ln2.weight", dModel));
        ln2Bias = adder.apply(shift(prefix + "ln2.bias", dModel));
        fc1Weight = adder.apply(linear(prefix + "mlp.fc1.weight", Parameter.Type.WEIGHT, new Shape(ff, dModel),
                dModel));
        fc1Bias = adder.apply(linear(prefix + "mlp.fc1.bias", Parameter.Type.BIAS, new Shape(ff), dModel));
        fc2Weight = adder.apply(linear(prefix + "mlp.fc2.weight", Parameter.Type.WEIGHT, new Shape(dModel, ff), ff));
        fc2Bias = adder.apply(linear(prefix + "mlp.fc2.bias", Parameter.Type.BIAS, new Shape(dModel), ff));
    }

    /** A parameter of a linear layer with PyTorch's default initialisation. */
    static Parameter linear(String name, Parameter.Type type, Shape shape, long fanIn) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(new LinearInitializer(fanIn)).build();
    }

    /** A learned embedding (token, position or CLS vector), N(0, 1) as PyTorch's {@code nn.Embedding}. */
    static Parameter embedding(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer(1f)).build();
    }

    /** A LayerNorm gain, initialised to 1. */
    static Parameter gain(String name, int width) {
        return Parameter.builder().setName(name).setType(Parameter.Type.GAMMA).optShape(new Shape(width))
                .optInitializer(new ConstantInitializer(1f)).build();
    }

    /** A LayerNorm shift, initialised to 0. */
    static Parameter shift(String name, int width) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BETA).optShape(new Shape(width))
                .optInitializer(new ConstantInitializer(0f)).build();
    }

    /**
     * Multiplies the initial value of every parameter but the LayerNorm gains and shifts by {@code scale}
     * ({@code init-scale}), in place, once, right after {@code block} drew them; nothing when the scale is 1,
     * so a run at the default starts from PyTorch's initialisation bit for bit.
     *
     * @param fresh whether {@code block} was not initialised before this call (a second call leaves it alone)
     */
    static void scaleInitialValues(AbstractBlock block, boolean fresh, double scale) {
        if (!fresh || scale == 1) {
            return;
        }
        for (Parameter parameter : block.getParameters().values()) {
            if (parameter.getType() != Parameter.Type.GAMMA && parameter.getType() != Parameter.Type.BETA) {
                NDArray array = parameter.getArray();
                array.intern(array.stopGradient().mul((float) scale));
                array.setRequiresGradient(true);
            }
        }
    }

    /** LayerNorm over the last axis of {@code x} (batch × positions × d); a new array on x's manager. */
    static NDArray layerNorm(NDArray x, NDArray gain, NDArray shift) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return LayerNorm.layerNorm(x, last, gain, shift, LAYER_NORM_EPSILON).singletonOrThrow();
    }

    /**
     * @param x         batch × positions × d; not modified
     * @param firstOnly whether only position 0 of the result is wanted: then only its query, attention
     *                  output and feed-forward pass are computed (keys and values still come from every
     *                  position), which gives position 0 as the full layer does; not for a causal layer
     * @return x after this layer, a new array on x's manager: batch × positions × d, or batch × 1 × d
     *         when {@code firstOnly}
     */
    NDArray forward(ParameterStore store, NDArray x, boolean training, boolean firstOnly) {
        return forward(store, x, training, firstOnly, null);
    }

    /**
     * @param x       batch × positions × d; not modified
     * @param keyMask null, or the additive key padding mask, batch × 1 × 1 × positions, 0 at a token and
     *                −∞ at padding (PyTorch's {@code src_key_padding_mask}); not modified
     * @return x after this layer, a new array on x's manager, batch × positions × d
     */
    NDArray forward(ParameterStore store, NDArray x, boolean training, NDArray keyMask) {
        return forward(store, x, training, false, keyMask);
    }

    private NDArray forward(ParameterStore store, NDArray x, boolean training, boolean firstOnly, NDArray keyMask) {
        Device device = x.getDevice();
        NDArray normed = layerNorm(x, store.getValue(ln1Weight, device, training),
                store.getValue(ln1Bias, device, training));
        NDArray queries = normed;
        if (firstOnly && causal) {
            throw new IllegalArgumentException("a causal layer computes every position");
        }
        if (firstOnly) {
            NDIndex first = new NDIndex(":, 0:1, :");
            queries = normed.get(first);
            x = x.get(first);
        }
        x = x.add(attention.apply(store, queries, normed, causal, keyMask, training));

        normed = layerNorm(x, store.getValue(ln2Weight, device, training), store.getValue(ln2Bias, device, training));
        return x.add(feedForward(store, normed, training, fc1Weight, fc1Bias, fc2Weight, fc2Bias));
    }

    /** fc2 · GELU(fc1 · x + b1) + b2 over the last axis of {@code x}; a new array on x's manager. */
    static NDArray feedForward(ParameterStore store, NDArray x, boolean training, Parameter fc1Weight,
                               Parameter fc1Bias, Parameter fc2Weight, Parameter fc2Bias) {
        Device device = x.getDevice();
        NDArray hidden = Activation.gelu(Linear.linear(x, store.getValue(fc1Weight, device, training),
                store.getValue(fc1Bias, device, training)).singletonOrThrow());
        return Linear.linear(hidden, store.getValue(fc2Weight, device, training),
                store.getValue(fc2Bias, device, training)).singletonOrThrow();
    }
}
