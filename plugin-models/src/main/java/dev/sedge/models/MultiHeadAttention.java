package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.sedge.api.djl.model.EngineScalar;
import java.util.function.UnaryOperator;

/**
 * Multi-head attention as PyTorch's {@code nn.MultiheadAttention} computes it without dropout:
 * O · concat_h softmax(Q_h K_hᵀ / √d_h + M) V_h, with Q from the queries and K, V from the keys
 * (the same array for self-attention, the encoder's memory for cross-attention), and M the sum of an
 * optional causal mask (−∞ above the diagonal: query i sees keys 0 … i) and an optional key padding
 * mask (−∞ at the padded keys).
 *
 * <p>Parameters, with the prefix given (e.g. {@code blocks.0.attn}), in initialisation order:
 * {@code .q.weight}, {@code .q.bias}, then {@code k}, {@code v}, {@code o} likewise (d × d, out × in
 * as {@code nn.Linear}; bias d), U(±1/√d). Not thread-safe.
 */
final class MultiHeadAttention {

    private final int heads;
    private final int dModel;
    /** q.weight, q.bias, k.weight, k.bias, v.weight, v.bias, o.weight, o.bias. */
    private final Parameter[] parameters = new Parameter[8];

    /**
     * @param prefix the parameters' common name prefix, without the trailing dot
     * @param adder  registers a parameter with the owning block and returns it
     */
    MultiHeadAttention(String prefix, int dModel, int heads, UnaryOperator<Parameter> adder) {
        this.heads = heads;
        this.dModel = dModel;
        String[] projections = {"q", "k", "v", "o"};
        for (int i = 0; i < projections.length; i++) {
            String name = prefix + "." + projections[i];
            parameters[2 * i] = adder.apply(EncoderLayer.linear(name + ".weight", Parameter.Type.WEIGHT,
                    new Shape(dModel, dModel), dModel));
            parameters[2 * i + 1] = adder.apply(EncoderLayer.linear(name + ".bias", Parameter.Type.BIAS,
                    new Shape(dModel), dModel));
        }
    }

    /**
     * @param queries batch × Q × d; not modified
     * @param keys    batch × K × d, the keys and values; not modified
     * @param causal  whether query i sees keys 0 … i alone (Q = K)
     * @param keyMask null, or an additive mask broadcastable to batch × heads × Q × K (0 or −∞ per key,
     *                batch × 1 × 1 × K); not modified
     * @return the attention output after O, batch × Q × d, on the queries' manager
     */
    NDArray apply(ParameterStore store, NDArray queries, NDArray keys, boolean causal, NDArray keyMask,
                  boolean training) {
        Device device = queries.getDevice();
        NDArray[] p = new NDArray[parameters.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = store.getValue(parameters[i], device, training);
        }
        NDArray q = splitHeads(Linear.linear(queries, p[0], p[1]).singletonOrThrow());
        NDArray k = splitHeads(Linear.linear(keys, p[2], p[3]).singletonOrThrow());
        NDArray v = splitHeads(Linear.linear(keys, p[4], p[5]).singletonOrThrow());
        float scale = (float) (1 / Math.sqrt((double) dModel / heads));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray scaled = scores.mul(EngineScalar.of(scores, scale));
        if (causal) {
            scaled = scaled.add(causalMask(scaled));
        }
        if (keyMask != null) {
            scaled = scaled.add(keyMask);
        }
        NDArray weights = scaled.softmax(-1);
        NDArray context = mergeHeads(weights.matMul(v));
        return Linear.linear(context, p[6], p[7]).singletonOrThrow();
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
