package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Objects;

/**
 * The training loss of a model with one or more heads: the sum over heads of each head's
 * {@link LossKind} loss, each reduced over the batch by a {@link LossKind.Reduction} (the mean
 * unless told otherwise). Not thread-safe (DJL's accumulators).
 */
final class HeadsLoss extends Loss {

    private final LossKind kind;
    private final LossKind.Reduction reduction;

    /** Each head's loss averaged over the batch. */
    HeadsLoss(LossKind kind) {
        this(kind, LossKind.Reduction.MEAN);
    }

    HeadsLoss(LossKind kind, LossKind.Reduction reduction) {
        super(kind.configName());
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /**
     * @param labels      one integer array (batch) per head, in head order; not modified
     * @param predictions one float array (batch × C_h) per head, in head order; not modified
     * @return a scalar on the first head's labels' manager
     * @throws IllegalArgumentException if the two lists differ in length
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != predictions.size() || labels.isEmpty()) {
            throw new IllegalArgumentException("expected one label array per head (" + predictions.size()
                    + " heads), found " + labels.size());
        }
        NDArray total = kind.of(predictions.get(0), labels.get(0), reduction);
        for (int h = 1; h < labels.size(); h++) {
            total = total.add(kind.of(predictions.get(h), labels.get(h), reduction));
        }
        return total;
    }

    LossKind kind() {
        return kind;
    }

    LossKind.Reduction reduction() {
        return reduction;
    }
}
