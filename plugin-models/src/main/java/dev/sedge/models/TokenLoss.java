package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * The training loss of a model with a class per position: per head, the cross-entropy
 * −log softmax(ŷ_t)_{y_t} averaged over the positions whose target is not IGNORE (−1,
 * {@code dev.sedge.api.task.TaskData.IGNORE}) across the whole batch — PyTorch's
 * {@code cross_entropy(ignore_index=-1)} — then summed over heads. An IGNORE position adds nothing to
 * the loss and nothing to its gradient; a batch without a scored position has loss 0. Not thread-safe
 * (DJL's accumulators).
 */
final class TokenLoss extends Loss {

    TokenLoss() {
        super("cross-entropy");
    }

    /**
     * @param labels      one integer array (batch × T) of targets per head, in head order, each in [0, C_h)
     *                    or −1; not modified
     * @param predictions one float array (batch × T × C_h) per head, in head order; not modified
     * @return a scalar on the first head's labels' manager
     * @throws IllegalArgumentException if the two lists differ in length or the shapes do not match
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != predictions.size() || labels.isEmpty()) {
            throw new IllegalArgumentException("expected one target array per head (" + predictions.size()
                    + " heads), found " + labels.size());
        }
        NDArray total = head(predictions.get(0), labels.get(0));
        for (int h = 1; h < labels.size(); h++) {
            total = total.add(head(predictions.get(h), labels.get(h)));
        }
        return total;
    }

    /** One head's loss: the mean over its scored positions. */
    private static NDArray head(NDArray predictions, NDArray targets) {
        Shape p = predictions.getShape();
        Shape y = targets.getShape();
        if (p.dimension() != 3 || y.dimension() != 2 || p.get(0) != y.get(0) || p.get(1) != y.get(1)) {
            throw new IllegalArgumentException("expected predictions batch x T x classes and targets batch x T, found "
                    + p + " and " + y);
        }
        int classes = Math.toIntExact(p.get(2));
        // Every constant below is an array on the targets' manager, none a Java number (see EngineScalar).
        NDArray target = targets.toType(DataType.INT64, false);
        NDArray scored = target.gte(target.zerosLike());
        NDArray weight = scored.toType(predictions.getDataType(), false);
        NDArray oneHot = target.mul(scored.toType(DataType.INT64, false)).oneHot(classes, predictions.getDataType())
                .mul(weight.expandDims(2));
        NDArray picked = oneHot.mul(predictions.logSoftmax(2)).sum();
        NDArray count = weight.sum().maximum(weight.getManager().ones(new Shape(), weight.getDataType()));
        return picked.neg().div(count);
    }
}
