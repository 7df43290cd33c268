package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The training loss of one head, by its configuration name. Both reduce as the mean over the
 * batch of a per-example value.
 */
enum LossKind {
    /**
     * ½‖P⊥(Y − ŷ)‖² per example, with Y the one-hot label, P⊥ = I − 11ᵀ/C removing the mean over
     * the C classes, and the squared norm a sum over classes; then the mean over examples.
     */
    ZERO_MEAN_MSE("zero-mean-mse"),
    /** −log softmax(ŷ)_y per example; then the mean over examples. */
    CROSS_ENTROPY("cross-entropy");

    private final String configName;

    LossKind(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    /**
     * This head's loss, a scalar belonging to {@code labels}' manager.
     *
     * @param predictions batch × C floats; not modified
     * @param labels      batch integer labels in [0, C); not modified
     */
    NDArray of(NDArray predictions, NDArray labels) {
        if (predictions.getShape().dimension() != 2 || labels.getShape().size() != predictions.getShape().get(0)) {
            throw new IllegalArgumentException("expected predictions batch x classes and one label per row, found "
                    + predictions.getShape() + " and " + labels.getShape());
        }
        int classes = Math.toIntExact(predictions.getShape().get(1));
        NDArray oneHot = labels.reshape(-1).toType(DataType.INT64, false).oneHot(classes, predictions.getDataType());
        return switch (this) {
            case ZERO_MEAN_MSE -> {
                NDArray residual = oneHot.sub(predictions);
                NDArray projected = residual.sub(residual.mean(new int[] {1}, true));
                yield projected.square().sum(new int[] {1}).mean().mul(0.5f);
            }
            case CROSS_ENTROPY -> oneHot.mul(predictions.logSoftmax(1)).sum(new int[] {1}).mean().neg();
        };
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
