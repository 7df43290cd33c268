package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.sedge.api.djl.model.EngineScalar;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The training loss of one head, by its configuration name: a per-example value, reduced over the
 * batch by a {@link Reduction} (the mean unless told otherwise).
 */
enum LossKind {
    /**
     * ½‖P⊥(Y − ŷ)‖² per example, with Y the one-hot label, P⊥ = I − 11ᵀ/C removing the mean over
     * the C classes, and the squared norm a sum over classes; then reduced over the examples. With
     * {@link Reduction#SUM} it is ½‖P⊥(Y − Ŷ)ᵀ‖²_F of the whole batch.
     */
    ZERO_MEAN_MSE("zero-mean-mse"),
    /**
     * ‖P⊥(Y − ŷ)‖² per example, {@link #ZERO_MEAN_MSE} without the ½: the loss the Feature
     * Repulsion paper's code computes (its text writes the ½), and the lock-in experiment's default.
     * The factor does not change what Adam does with the gradient alone, but with coupled L2 weight
     * decay (g = ∇L + ωθ, then normalised) it sets the weight of ω against ∇L: this form makes the
     * same ω half as strong as {@link #ZERO_MEAN_MSE} does (docs/science.md, "The lock-in loss").
     */
    ZERO_MEAN_MSE_NO_HALF("zero-mean-mse-no-half"),
    /** −log softmax(ŷ)_y per example; then reduced over the examples. */
    CROSS_ENTROPY("cross-entropy");

    /**
     * How the per-example losses of a batch combine. With coupled L2 weight decay (g = ∇L + ωθ)
     * this fixes how strong ω is against the gradient: {@link #SUM} makes ∇L N times larger than
     * {@link #MEAN} for a batch of N, so the same ω is N times weaker.
     */
    enum Reduction {
        /** The mean over the examples. */
        MEAN("mean"),
        /** The sum over the examples. */
        SUM("sum");

        private final String configName;

        Reduction(String configName) {
            this.configName = configName;
        }

        String configName() {
            return configName;
        }

        /** @throws IllegalArgumentException naming {@code key} and the known names */
        static Reduction of(String key, String name) {
            for (Reduction r : values()) {
                if (r.configName.equals(name)) {
                    return r;
                }
            }
            throw new IllegalArgumentException(key + " must be one of " + names() + ", found '" + name + "'");
        }

        static String names() {
            return Arrays.stream(values()).map(Reduction::configName).collect(Collectors.joining(", "));
        }

        /** @param perExample one value per example; not modified */
        NDArray apply(NDArray perExample) {
            return switch (this) {
                case MEAN -> perExample.mean();
                case SUM -> perExample.sum();
            };
        }
    }

    private final String configName;

    LossKind(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    /**
     * This head's loss, the mean over the batch, a scalar belonging to {@code labels}' manager.
     *
     * @param predictions batch × C floats; not modified
     * @param labels      batch integer labels in [0, C); not modified
     */
    NDArray of(NDArray predictions, NDArray labels) {
        return of(predictions, labels, Reduction.MEAN);
    }

    /**
     * This head's loss, reduced over the batch by {@code reduction}, a scalar belonging to
     * {@code labels}' manager.
     *
     * @param predictions batch × C floats; not modified
     * @param labels      batch integer labels in [0, C); not modified
     */
    NDArray of(NDArray predictions, NDArray labels, Reduction reduction) {
        if (predictions.getShape().dimension() != 2 || labels.getShape().size() != predictions.getShape().get(0)) {
            throw new IllegalArgumentException("expected predictions batch x classes and one label per row, found "
                    + predictions.getShape() + " and " + labels.getShape());
        }
        int classes = Math.toIntExact(predictions.getShape().get(1));
        NDArray oneHot = labels.reshape(-1).toType(DataType.INT64, false).oneHot(classes, predictions.getDataType());
        return switch (this) {
            case ZERO_MEAN_MSE -> {
                NDArray full = zeroMeanSquaredError(oneHot, predictions, reduction);
                yield full.mul(EngineScalar.of(full, 0.5f));
            }
            case ZERO_MEAN_MSE_NO_HALF -> zeroMeanSquaredError(oneHot, predictions, reduction);
            case CROSS_ENTROPY -> reduction.apply(oneHot.mul(predictions.logSoftmax(1)).sum(new int[] {1})).neg();
        };
    }

    /** ‖P⊥(Y − ŷ)‖² per example, reduced over the batch. */
    private static NDArray zeroMeanSquaredError(NDArray oneHot, NDArray predictions, Reduction reduction) {
        NDArray residual = oneHot.sub(predictions);
        NDArray projected = residual.sub(residual.mean(new int[] {1}, true));
        return reduction.apply(projected.square().sum(new int[] {1}));
    }

    /**
     * @throws IllegalArgumentException naming {@code key} and the known names
     */
    static LossKind of(String key, String name) {
        for (LossKind k : values()) {
            if (k.configName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + names() + ", found '" + name + "'");
    }

    static String names() {
        return Arrays.stream(values()).map(LossKind::configName).collect(Collectors.joining(", "));
    }
}
