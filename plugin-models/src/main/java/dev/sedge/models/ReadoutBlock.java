package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A block of this module's shape: token features (mlp2's hidden layer, the transformer's residual
 * at position 0, the causal transformer's residual at every position), then one linear readout per
 * head. It owns what that shape implies: the token input check, the forward pass as
 * features-then-readout, and the probe points — the features (the first point) and {@code logits},
 * the heads' outputs concatenated in head order.
 *
 * <p>Features and outputs are batch × width and batch × C_h, or, for a block with an output per
 * position, batch × T × width and batch × T × C_h; a probe flattens the latter per example
 * (batch × T·width, position-major: position t in columns [t·width, (t+1)·width)), as
 * {@link dev.sedge.api.djl.model.ModelSpec#probe} wants one row per example.
 */
abstract class ReadoutBlock extends AbstractBlock {

    private final String name;
    private final String featuresPoint;
    private final int sequenceLength;

    /**
     * @param name           for messages: {@code mlp2}
     * @param featuresPoint  the probe name of the features: {@code hidden}, {@code residual}
     * @param sequenceLength S, tokens per input
     */
    ReadoutBlock(byte version, String name, String featuresPoint, int sequenceLength) {
        super(version);
        this.name = name;
        this.featuresPoint = featuresPoint;
        this.sequenceLength = sequenceLength;
    }

    /** The features of a batch: batch × width (or batch × T × width), on the tokens' manager. */
    abstract NDArray features(ParameterStore store, NDArray tokens, boolean training);

    /** One batch × C_h (or batch × T × C_h) array per head from the features, on their manager. */
    abstract NDList readout(ParameterStore store, NDArray features, boolean training);

    /** The probe points, the features first. */
    final List<String> probePoints() {
        return List.of(featuresPoint, "logits");
    }

    @Override
    protected final NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                           PairList<String, Object> params) {
        return readout(store, features(store, tokens(inputs), training), training);
    }

    /**
     * The forward pass in inference mode, stopped at {@code point}: see {@link
     * dev.sedge.api.djl.model.ModelSpec#probe} for the contract.
     *
     * @param inputs one integer array, batch × S, of tokens; not modified
     * @return a new batch × width FLOAT array on the tokens' manager (per-position values flattened per
     *         example, position-major)
     * @throws IllegalArgumentException for an unknown point, listing the known ones, or another input shape
     * @throws IllegalStateException    if the block is not initialised
     */
    final NDArray probe(ParameterStore store, NDList inputs, String point) {
        if (!probePoints().contains(point)) {
            throw new IllegalArgumentException(name + " has no probe point '" + point + "'; known: "
                    + String.join(", ", probePoints()));
        }
        if (!isInitialized()) {
            throw new IllegalStateException(name + ": initialise the block before probing it");
        }
        NDArray features = features(store, tokens(inputs), false);
        if (point.equals(featuresPoint)) {
            return perExample(features);
        }
        NDList logits = readout(store, features, false);
        int last = logits.getFirst().getShape().dimension() - 1;
        return perExample(logits.size() == 1 ? logits.singletonOrThrow() : NDArrays.concat(logits, last));
    }

    /** {@code values} as it is when batch × width; batch × T × width flattened to batch × T·width. */
    private static NDArray perExample(NDArray values) {
        Shape shape = values.getShape();
        return shape.dimension() == 2 ? values : values.reshape(shape.get(0), -1);
    }

    /** The one integer batch × S array of tokens, or an {@link IllegalArgumentException}. */
    private NDArray tokens(NDList inputs) {
        NDArray tokens = inputs.singletonOrThrow();
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(1) != sequenceLength || !tokens.getDataType().isInteger()) {
            throw new IllegalArgumentException(name + " expects integer tokens of shape (batch, " + sequenceLength
                    + "), found " + tokens.getDataType() + " " + shape);
        }
        return tokens;
    }
}
