package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sedge.api.task.TargetSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-LN encoder–decoder transformer of {@code encoder-decoder}, as PyTorch's {@code nn.Transformer}
 * ({@code norm_first=True}, GELU, no dropout) computes it, with learned embeddings and one linear readout:
 * <pre>
 *   x = E_tok[s] + E_pos                          (batch × S × d), the input tokens
 *   for l:  x ← {@link EncoderLayer}_l(x), bidirectional, the padding keys masked out
 *   memory = LN_enc(x)
 *   y = E_dec[u] + E_dpos[0 … L−1]                (batch × L × d), the decoder inputs u
 *   for l:  y ← {@link DecoderLayer}_l(y, memory)
 *   ŷ = LN_f(y) Wᵀ + b                            (batch × L × C)
 * </pre>
 * Output t depends on the input tokens and on decoder inputs 0 … t alone.
 *
 * <p>Parameters, in initialisation order: {@code embed.token.weight} (n × d), {@code embed.position.weight}
 * (S × d), {@code embed.decoder-token.weight} (C × d), {@code embed.decoder-position.weight} (T × d), all
 * N(0, 1); per encoder layer {@code encoder.<l>.*} as {@link EncoderLayer} lists them;
 * {@code ln_enc.weight}, {@code ln_enc.bias} (d); per decoder layer {@code decoder.<l>.*} as
 * {@link DecoderLayer} lists them; {@code ln_f.weight}, {@code ln_f.bias} (d), {@code head.0.weight}
 * (C × d), {@code head.0.bias} (C), U(±1/√d).
 *
 * <p>Input: an {@code NDList} of two integer arrays, the tokens (batch × S, in [0, n)) and the decoder
 * inputs (batch × L, classes in [0, C), 1 ≤ L ≤ T; under teacher forcing L = T: bos, y_0 … y_{T−2}).
 * Output: one FLOAT array, batch × L × C. Every array the forward pass creates belongs to the tokens'
 * manager. Not thread-safe.
 *
 * <p>Probe points ({@link #probe}), flattened per example, position-major: {@code residual} (the default:
 * the decoder's residual stream before LN_f, batch × L·d) and {@code logits} (batch × L·C).
 */
final class EncoderDecoderBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The probe points, the default first. */
    static final List<String> PROBE_POINTS = List.of("residual", "logits");

    private final int sequenceLength;
    private final int targetLength;
    private final int classes;
    private final int inputPad;
    private final int dModel;
    private final double initScale;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter decoderTokenEmbedding;
    private final Parameter decoderPositionEmbedding;
    private final List<EncoderLayer> encoder = new ArrayList<>();
    private final Parameter encoderNormWeight;
    private final Parameter encoderNormBias;
    private final List<DecoderLayer> decoder = new ArrayList<>();
    private final FinalHeads head;

    /**
     * @param vocabularySize n, input tokens are in [0, n)
     * @param sequenceLength S, tokens per input
     * @param classes        C, the decoder's vocabulary and output classes (symbols, bos, eos), &ge; 1
     * @param spec           T and the input padding token
     */
    EncoderDecoderBlock(int vocabularySize, int sequenceLength, int classes, TargetSpec.Decoded spec,
                        EncoderDecoderConfig config) {
        super(VERSION);
        this.sequenceLength = sequenceLength;
        this.targetLength = spec.length();
        this.classes = classes;
        this.inputPad = spec.inputPad();
        this.dModel = config.dModel();
        this.initScale = config.initScale();
        tokenEmbedding = addParameter(EncoderLayer.embedding("embed.token.weight", new Shape(vocabularySize, dModel)));
        positionEmbedding = addParameter(
                EncoderLayer.embedding("embed.position.weight", new Shape(sequenceLength, dModel)));
        decoderTokenEmbedding = addParameter(
                EncoderLayer.embedding("embed.decoder-token.weight", new Shape(classes, dModel)));
        decoderPositionEmbedding = addParameter(
                EncoderLayer.embedding("embed.decoder-position.weight", new Shape(targetLength, dModel)));
        for (int l = 0; l < config.encoderLayers(); l++) {
            encoder.add(new EncoderLayer("encoder." + l + ".", dModel, config.heads(), config.ff(), false,
                    this::addParameter));
        }
        encoderNormWeight = addParameter(EncoderLayer.gain("ln_enc.weight", dModel));
        encoderNormBias = addParameter(EncoderLayer.shift("ln_enc.bias", dModel));
        for (int l = 0; l < config.decoderLayers(); l++) {
            decoder.add(new DecoderLayer(l, dModel, config.heads(), config.ff(), this::addParameter));
        }
        head = new FinalHeads(dModel, List.of(classes), this::addParameter);
    }

    /** Draws the parameters, then applies {@code init-scale} ({@link EncoderLayer#scaleInitialValues}). */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !isInitialized();
        super.initialize(manager, dataType, inputShapes);
        EncoderLayer.scaleInitialValues(this, fresh, initScale);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return head.apply(store, residual(store, inputs, training), training);
    }

    /** The decoder's residual stream after its last layer, before LN_f: batch × L × d, on the tokens' manager. */
    private NDArray residual(ParameterStore store, NDList inputs, boolean training) {
        checkInputs(inputs);
        NDArray tokens = inputs.get(0);
        NDArray decoderInputs = inputs.get(1);
        Device device = tokens.getDevice();
        // The first operand of every operation is a per-step array, so results land on the inputs' manager.
        NDArray keyMask = paddingMask(tokens);
        NDArray x = Embedding.embedding(tokens, store.getValue(tokenEmbedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow();
        x = x.add(store.getValue(positionEmbedding, device, training));
        for (EncoderLayer layer : encoder) {
            x = layer.forward(store, x, training, keyMask);
        }
        NDArray memory = EncoderLayer.layerNorm(x, store.getValue(encoderNormWeight, device, training),
                store.getValue(encoderNormBias, device, training));

        long length = decoderInputs.getShape().get(1);
        NDArray y = Embedding.embedding(decoderInputs, store.getValue(decoderTokenEmbedding, device, training),
                SparseFormat.DENSE).singletonOrThrow();
        NDArray positions = tokens.getManager().arange(0, (int) length, 1, DataType.INT32, device);
        y = y.add(Embedding.embedding(positions, store.getValue(decoderPositionEmbedding, device, training),
                SparseFormat.DENSE).singletonOrThrow());
        for (DecoderLayer layer : decoder) {
            y = layer.forward(store, y, memory, keyMask, training);
        }
        return y;
    }

    /**
     * The additive key padding mask of the tokens, batch × 1 × 1 × S (0 at a token, −∞ at {@code inputPad}), on
     * the tokens' manager; null when inputs are never padded.
     */
    private NDArray paddingMask(NDArray tokens) {
        if (inputPad == TargetSpec.NO_PAD) {
            return null;
        }
        int[] values = tokens.toType(DataType.INT32, false).toIntArray();
        float[] mask = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            mask[i] = values[i] == inputPad ? Float.NEGATIVE_INFINITY : 0f;
        }
        long batch = tokens.getShape().get(0);
        return tokens.getManager().create(mask, new Shape(batch, 1, 1, sequenceLength))
                .toDevice(tokens.getDevice(), false);
    }

    /** The tokens and decoder inputs as the class comment has them, or an {@link IllegalArgumentException}. */
    private void checkInputs(NDList inputs) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("encoder-decoder expects two integer arrays, the tokens (batch, "
                    + sequenceLength + ") and the decoder inputs (batch, 1 to " + targetLength + "), found "
                    + inputs.size() + " array(s)");
        }
        Shape tokens = inputs.get(0).getShape();
        Shape decoded = inputs.get(1).getShape();
        if (tokens.dimension() != 2 || tokens.get(1) != sequenceLength || !inputs.get(0).getDataType().isInteger()
                || decoded.dimension() != 2 || decoded.get(0) != tokens.get(0) || decoded.get(1) < 1
                || decoded.get(1) > targetLength || !inputs.get(1).getDataType().isInteger()) {
            throw new IllegalArgumentException("encoder-decoder expects integer tokens (batch, " + sequenceLength
                    + ") and decoder inputs (batch, 1 to " + targetLength + "), found " + inputs.get(0).getDataType()
                    + " " + tokens + " and " + inputs.get(1).getDataType() + " " + decoded);
        }
    }

    /**
     * The forward pass in inference mode, stopped at {@code point}: see
     * {@link dev.sedge.api.djl.model.ModelSpec#probe}.
     *
     * @return a new batch × width FLOAT array on the tokens' manager, position-major
     * @throws IllegalArgumentException for an unknown point, listing the known ones, or other inputs
     * @throws IllegalStateException    if the block is not initialised
     */
    NDArray probe(ParameterStore store, NDList inputs, String point) {
        if (!PROBE_POINTS.contains(point)) {
            throw new IllegalArgumentException("encoder-decoder has no probe point '" + point + "'; known: "
                    + String.join(", ", PROBE_POINTS));
        }
        if (!isInitialized()) {
            throw new IllegalStateException("encoder-decoder: initialise the block before probing it");
        }
        NDArray residual = residual(store, inputs, false);
        NDArray values = point.equals("residual") ? residual : head.apply(store, residual, false).singletonOrThrow();
        return values.reshape(values.getShape().get(0), -1);
    }

    /** @return one (batch, L, C) shape, L the decoder inputs' length (T when only the tokens' shape is given) */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        long length = inputShapes.length > 1 ? inputShapes[1].get(1) : targetLength;
        return new Shape[] {new Shape(batch, length, classes)};
    }

    @Override
    public String toString() {
        return "EncoderDecoderBlock[encoder=" + encoder.size() + ", decoder=" + decoder.size() + ", d=" + dModel
                + ", S=" + sequenceLength + ", T=" + targetLength + ", classes=" + classes + "]";
    }
}
