package dev.sedge.core.explain;

import dev.sedge.api.ConfigException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.model.Activations;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.model.CheckpointModel;
import java.util.List;

/**
 * The test split of a run as the explain measurements read it: the model's {@value #LOGITS} on every
 * test input (at the checkpoint's values once, kept as what the others are compared with, and at any
 * others), the accuracy
 * (argmax against the label), the loss (the cross-entropy of the softmax against the label) and the KL
 * of the softmax, each per head and averaged over the heads. Made once per explanation and shared by its
 * measurements. Immutable.
 *
 * <p>The loss is the cross-entropy whatever loss the run trained with: the papers' transformers train
 * with it, and it is the loss of the model's outputs read as a distribution, which the KL reads too. For
 * a run trained with another loss (the lock-in MLP's zero-mean MSE) it is a measurement of the outputs,
 * not the training objective; docs/explain.md says so.
 */
final class TestSplit {

    /** The output read: every head's logits, concatenated in head order. */
    static final String LOGITS = "logits";

    private final CheckpointModel model;
    private final TaskData data;
    private final int[] test;
    private final int[] tokens;
    /** log softmax of the logits at θ, per head, laid out like the logits. */
    private final double[] baseLog;
    private final double baseAccuracy;
    private final double baseLoss;

    private TestSplit(CheckpointModel model) {
        this.model = model;
        this.data = model.data();
        this.test = data.test();
        this.tokens = data.tokens(test);
        Activations base = logits(model.checkpoint());
        this.baseLog = new double[base.values().length];
        perHead(base, (values, from, classes, label) -> {
            System.arraycopy(logSoftmax(values, from, classes), 0, baseLog, from, classes);
            return 0;
        });
        this.baseAccuracy = accuracy(base);
        this.baseLoss = loss(base);
    }

    /**
     * @throws ConfigException if the model has no {@value #LOGITS} output: the ablation and the
     *                         perturbation curve read the test split from it
     */
    static TestSplit of(CheckpointModel model) {
        if (!model.outputs().contains(LOGITS)) {
            throw new ConfigException("the ablation and the perturbation curve read the test split from the model's '"
                    + LOGITS + "' output, which this model does not have (it has " + model.outputs() + ")");
        }
        return new TestSplit(model);
    }

    /** The logits at {@code parameters}, one row per test input. */
    Activations logits(List<Tensor> parameters) {
        return model.apply(parameters, tokens, LOGITS);
    }

    /** The test accuracy at θ. */
    double baseAccuracy() {
        return baseAccuracy;
    }

    /** The test loss at θ. */
    double baseLoss() {
        return baseLoss;
    }

    /** The share of test inputs whose argmax logit is the label, averaged over the heads. */
    double accuracy(Activations logits) {
        return perHead(logits, (values, from, classes, label) -> {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (values[from + c] > values[from + best]) {
                    best = c;
                }
            }
            return best == label ? 1 : 0;
        });
    }

    /** The mean over test inputs of −log softmax(logits)[label], averaged over the heads (nats). */
    double loss(Activations logits) {
        return perHead(logits, (values, from, classes, label) -> -logSoftmax(values, from, classes)[label]);
    }

    /**
     * KL(p_θ ‖ q) of the per-head softmax of the logits at θ and {@code logits}, summed over a head's
     * classes, averaged over the test inputs and the heads (nats).
     */
    double kl(Activations logits) {
        return perHead(logits, (values, from, classes, label) -> {
            double[] logQ = logSoftmax(values, from, classes);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(baseLog[from + c]) * (baseLog[from + c] - logQ[c]);
            }
            return sum;
        });
    }

    /** One test input's quantity from one head's logits, at {@code values[from, from + classes)}. */
    private interface RowMeasure {
        double of(float[] values, int from, int classes, int label);
    }

    /** The mean of {@code measure} over the test inputs for each head, averaged over the heads. */
    private double perHead(Activations logits, RowMeasure measure) {
        float[] values = logits.values();
        int width = logits.width();
        double total = 0;
        int offset = 0;
        for (int h = 0; h < data.heads().size(); h++) {
            int classes = data.heads().get(h).classes();
            int[] labels = data.labels(h);
            double sum = 0;
            for (int i = 0; i < test.length; i++) {
                sum += measure.of(values, i * width + offset, classes, labels[test[i]]);
            }
            total += sum / test.length;
            offset += classes;
        }
        return total / data.heads().size();
    }

    private static double[] logSoftmax(float[] values, int from, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, values[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(values[from + c] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = values[from + c] - log;
        }
        return out;
    }
}
