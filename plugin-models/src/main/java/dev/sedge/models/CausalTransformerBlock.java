package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The L-layer causal pre-LN transformer of {@code causal-transformer}, with one linear readout per task
 * head at every position (a tagger):
 * <pre>
 *   x = E_tok[t] + E_pos                       (batch × T × d)
 *   for l in 0 … L−1:  x ← {@link EncoderLayer}_l(x), causal: position i attends to 0 … i
 *   ŷ_h = LN_f(x) W_hᵀ + b_h                   (batch × T × C_h), one per head
 * </pre>
 * Output t depends on tokens 0 … t alone.
 *
 * <p>Parameters, in initialisation order, named as {@link TransformerBlock}'s (without CLS):
 * {@code embed.token.weight} (n × d), {@code embed.position.weight} (T × d), both N(0, 1); per layer
 * {@code blocks.<l>.*} as {@link EncoderLayer} lists them; {@code ln_f.weight}, {@code ln_f.bias} (d);
 * per head {@code head.<h>.weight} (C_h × d), {@code head.<h>.bias} (C_h), U(±1/√d).
 *
 * <p>Input: an {@code NDList} of one integer array (batch × T) of tokens in [0, n). Output: one FLOAT
 * array (batch × T × C_h) per head, in head order. Every array the forward pass creates belongs to the
 * tokens' manager. Not thread-safe.
 *
 * <p>Probe points ({@link #probe}), flattened per example, position-major:
 * <ul>
 *   <li>{@code residual} (the default): x after the last layer, before LN_f, at every position:
 *       batch × T·d (position t in columns [t·d, (t+1)·d));</li>
 *   <li>{@code logits}: ŷ, batch × T·ΣC_h (position t's ΣC_h values, heads in head order, in columns
 *       [t·ΣC_h, (t+1)·ΣC_h)).</li>
 * </ul>
 */
final class CausalTransformerBlock extends ReadoutBlock {

    private static final byte VERSION = 1;

    private final int sequenceLength;
    private final int dModel;
    private final double initScale;
    private final List<Integer> headClasses;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final FinalHeads heads;

    /**
     * @param headClasses C_h per head, each &ge; 1; copied
     * @param config      its {@code cls} and {@code loss} are not read
     * @throws IllegalArgumentException if a head has no class
     */
    CausalTransformerBlock(int vocabularySize, int sequenceLength, List<Integer> headClasses,
                           TransformerConfig config) {
        super(VERSION, "causal-transformer", "residual", sequenceLength);
        this.sequenceLength = sequenceLength;
        this.dModel = config.dModel();
        this.initScale = config.initScale();
        this.headClasses = List.copyOf(headClasses);
        tokenEmbedding = addParameter(EncoderLayer.embedding("embed.token.weight", new Shape(vocabularySize, dModel)));
        positionEmbedding = addParameter(
                EncoderLayer.embedding("embed.position.weight", new Shape(sequenceLength, dModel)));
        for (int l = 0; l < config.layers(); l++) {
            layers.add(new EncoderLayer(l, dModel, config.heads(), config.ff(), true, this::addParameter));
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

    /** The residual stream after the last layer, before LN_f: batch × T × d, on the tokens' manager. */
    @Override
    NDArray features(ParameterStore store, NDArray tokens, boolean training) {
        Device device = tokens.getDevice();
        // The first operand of every operation is a per-step array, so results land on the tokens' manager.
        NDArray x = Embedding.embedding(tokens, store.getValue(tokenEmbedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow();
        x = x.add(store.getValue(positionEmbedding, device, training));
        for (EncoderLayer layer : layers) {
            x = layer.forward(store, x, training, false);
        }
        return x;
    }

    /** ŷ_h = LN_f(residual) W_hᵀ + b_h at every position, for every head in head order, on {@code residual}'s manager. */
    @Override
    NDList readout(ParameterStore store, NDArray residual, boolean training) {
        return heads.apply(store, residual, training);
    }

    /** @return one (batch, T, C_h) shape per head */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return headClasses.stream().map(c -> new Shape(batch, sequenceLength, c)).toArray(Shape[]::new);
    }

    @Override
    public String toString() {
        return "CausalTransformerBlock[L=" + layers.size() + ", d=" + dModel + ", T=" + sequenceLength + ", heads="
                + headClasses + "]";
    }
}
