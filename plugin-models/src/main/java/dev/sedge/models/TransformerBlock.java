package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The L-layer pre-LN transformer encoder of {@code transformer}, with one linear readout per
 * task head from position 0:
 * <pre>
 *   x = E_tok[t] + E_pos                       (batch × P × d; P = S, or S + 1 with a CLS vector first)
 *   for l in 0 … L−1:  x ← {@link EncoderLayer}_l(x)
 *   z = LN_f(x[:, 0, :])                        (batch × d)
 *   ŷ_h = z W_hᵀ + b_h                          (batch × C_h), one per head
 * </pre>
 * Attention is bidirectional (no mask), so position 0 sees every token from the first layer on;
 * with {@code cls} a learned vector takes position 0 and the tokens follow it.
 *
 * <p>Parameters, in initialisation order, names stable across head counts:
 * <ul>
 *   <li>{@code embed.token.weight} (n × d), {@code embed.position.weight} (P × d), both N(0, 1)
 *       as PyTorch's {@code nn.Embedding}; with {@code cls} also {@code embed.cls} (d), N(0, 1);</li>
 *   <li>per layer l, {@code blocks.<l>.*} as {@link EncoderLayer} lists them;</li>
 *   <li>{@code ln_f.weight}, {@code ln_f.bias} (d), 1 and 0;</li>
 *   <li>per head h, {@code head.<h>.weight} (C_h × d) and {@code head.<h>.bias} (C_h), U(±1/√d).</li>
 * </ul>
 *
 * <p>Input: an {@code NDList} of one integer array (batch × S) of tokens in [0, n). Output: one
 * FLOAT array (batch × C_h) per head, in head order. Every array the forward pass creates
 * belongs to the tokens' manager. Not thread-safe.
 *
 * <p>Probe points ({@link #probe}), computed by the forward pass stopped there:
 * <ul>
 *   <li>{@code residual} (the default, docs/science.md, "Probe points and functional modes"): x[:, 0, :] after the
 * last layer, before
 *       LN_f, batch × d. It does not depend on LN_f or the readouts, so a perturbation of the
 *       {@code head} group leaves it unchanged: probe {@code logits} for those;</li>
 *   <li>{@code logits}: ŷ, batch × ΣC_h, the heads' outputs concatenated in head order (head h
 *       in columns [C_0 + … + C_{h−1}, C_0 + … + C_h)).</li>
 * </ul>
 */
final class TransformerBlock extends ReadoutBlock {

    private static final byte VERSION = 1;

    /** The probe points, the default first. */

    private final int sequenceLength;
    private final int dModel;
    private final double initScale;
    private final boolean cls;
    private final List<Integer> headClasses;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter clsVector;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final FinalHeads heads;

    /**
     * @param headClasses C_h per head, each &ge; 1; copied
     * @throws IllegalArgumentException if a head has no class
     */
    TransformerBlock(int vocabularySize, int sequenceLength, List<Integer> headClasses, TransformerConfig config) {
        super(VERSION, "transformer", "residual", sequenceLength);
        this.sequenceLength = sequenceLength;
        this.dModel = config.dModel();
        this.initScale = config.initScale();
        this.cls = config.cls();
        this.headClasses = List.copyOf(headClasses);
        int positions = positions(sequenceLength, cls);
        tokenEmbedding = addParameter(EncoderLayer.embedding("embed.token.weight", new Shape(vocabularySize, dModel)));
        positionEmbedding = addParameter(EncoderLayer.embedding("embed.position.weight", new Shape(positions, dModel)));
        clsVector = cls ? addParameter(EncoderLayer.embedding("embed.cls", new Shape(dModel))) : null;
        for (int l = 0; l < config.layers(); l++) {
            layers.add(new EncoderLayer(l, dModel, config.heads(), config.ff(), this::addParameter));
        }
        heads = new FinalHeads(dModel, this.headClasses, this::addParameter);
    }

    /** Draws the parameters, then applies {@code init-scale} ({@link EncoderLayer#scaleInitialValues}). */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !isInitialized();
        super.initialize(manager, dataType, inputShapes);
        EncoderLayer.scaleInitialValues(this, fresh, initScale);
    }

    /** P: the sequence length, plus one for a CLS vector. */
    static int positions(int sequenceLength, boolean cls) {
        return cls ? Math.addExact(sequenceLength, 1) : sequenceLength;
    }

    /** The residual stream at position 0 after the last layer, before LN_f: batch × d, on the tokens' manager. */
    @Override
    NDArray features(ParameterStore store, NDArray tokens, boolean training) {
        Shape shape = tokens.getShape();
        Device device = tokens.getDevice();
        long batch = shape.get(0);
        // The first operand of every operation is a per-step array, so results land on the tokens' manager.
        NDArray x = Embedding.embedding(tokens, store.getValue(tokenEmbedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow();
        if (cls) {
            NDArray first = tokens.getManager().zeros(new Shape(batch, 1, dModel), x.getDataType(), device)
                    .add(store.getValue(clsVector, device, training));
            x = NDArrays.concat(new NDList(first, x), 1);
        }
        x = x.add(store.getValue(positionEmbedding, device, training));
        for (int l = 0; l < layers.size(); l++) {
            // only position 0 of the last layer is read: it alone takes that layer's query and feed-forward pass
            x = layers.get(l).forward(store, x, training, l == layers.size() - 1);
        }
        return x.get(new NDIndex(":, 0, :"));
    }

    /** ŷ_h = LN_f(residual) W_hᵀ + b_h for every head, in head order, on {@code residual}'s manager. */
    @Override
    NDList readout(ParameterStore store, NDArray residual, boolean training) {
        return heads.apply(store, residual, training);
    }

    /** @return one (batch, C_h) shape per head */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return headClasses.stream().map(c -> new Shape(batch, c)).toArray(Shape[]::new);
    }

    @Override
    public String toString() {
        return "TransformerBlock[L=" + layers.size() + ", d=" + dModel + ", S=" + sequenceLength + ", cls=" + cls
                + ", heads=" + headClasses + "]";
    }
}
