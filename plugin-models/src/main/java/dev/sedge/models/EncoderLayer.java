package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import dev.sedge.api.djl.model.EngineScalar;
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
 * {@code nn.TransformerEncoderLayer} with {@code generate_square_subsequent_mask} computes it.
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

    private final int heads;
    private final int dModel;
    private final boolean causal;
    private final Parameter ln1Weight;
    private final Parameter ln1Bias;
    private final Parameter[] attention = new Parameter[8];
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
     * @param index  l, this layer's position in the stack
     * @param causal whether position i attends to positions 0 … i alone (else to every position)
     * @param adder  registers a parameter with the owning block and returns it
     */
    EncoderLayer(int index, int dModel, int heads, int ff, boolean causal, UnaryOperator<Parameter> adder) {
        this.heads = heads;
        this.dModel = dModel;
        this.causal = causal;
        String prefix = "blocks." + index + ".";
        ln1Weight = adder.apply(gain(prefix + "ln1.weight", dModel));
        ln1Bias = adder.apply(shift(prefix + "ln1.bias", dModel));
        String[] projections = {"q", "k", "v", "o"};
        for (int i = 0; i < projections.length; i++) {
            String name = prefix + "attn." + projections[i];
            attention[2 * i] = adder.apply(linear(name + ".weight", Parameter.Type.WEIGHT, new Shape(dModel, dModel),
                    dModel));
            attention[2 * i + 1] = adder.apply(linear(name + ".bias", Parameter.Type.BIAS, new Shape(dModel), dModel));
        }
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
        Device device = x.getDevice();
        NDArray normed = layerNorm(x, store.getValue(ln1Weight, device, training),
                store.getValue(ln1Bias, device, training));
        NDArray[] p = new NDArray[attention.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = store.getValue(attention[i], device, training);
        }
        NDArray queries = normed;
        if (firstOnly && causal) {
            throw new IllegalArgumentException("a causal layer computes every position");
        }
        if (firstOnly) {
            NDIndex first = new NDIndex(":, 0:1, :");
            queries = normed.get(first);
            x = x.get(first);
        }
        NDArray q = splitHeads(Linear.linear(queries, p[0], p[1]).singletonOrThrow());
        NDArray k = splitHeads(Linear.linear(normed, p[2], p[3]).singletonOrThrow());
        NDArray v = splitHeads(Linear.linear(normed, p[4], p[5]).singletonOrThrow());
        float scale = (float) (1 / Math.sqrt((double) dModel / heads));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray scaled = scores.mul(EngineScalar.of(scores, scale));
        if (causal) {
            scaled = scaled.add(causalMask(scaled));
        }
        NDArray weights = scaled.softmax(-1);
        NDArray context = mergeHeads(weights.matMul(v));
        x = x.add(Linear.linear(context, p[6], p[7]).singletonOrThrow());

        normed = layerNorm(x, store.getValue(ln2Weight, device, training), store.getValue(ln2Bias, device, training));
        NDArray hidden = Activation.gelu(Linear.linear(normed, store.getValue(fc1Weight, device, training),
                store.getValue(fc1Bias, device, training)).singletonOrThrow());
        return x.add(Linear.linear(hidden, store.getValue(fc2Weight, device, training),
                store.getValue(fc2Bias, device, training)).singletonOrThrow());
    }

    /**
     * The P × P mask of a causal layer, −∞ above the diagonal and 0 elsewhere, on the scores' manager (so
     * the graph that adds it keeps an array its manager owns: see {@link EngineScalar}).
     *
     * @param scores batch × heads × P × P; not modified
     */
    private static NDArray causalMask(NDArray scores) {
        int positions = Math.toIntExact(scores.getShape().get(3));
        float[] mask = new float[positions * positions];
        for (int i = 0; i < positions; i++) {
            for (int j = i + 1; j < positions; j++) {
                mask[i * positions + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return scores.getManager().create(mask, new Shape(positions, positions)).toDevice(scores.getDevice(), false);
    }

    /** batch × positions × d → batch × heads × positions × d_h. */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, dModel / heads).transpose(0, 2, 1, 3);
    }

    /** batch × heads × positions × d_h → batch × positions × d. */
    private NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), dModel);
    }
}
