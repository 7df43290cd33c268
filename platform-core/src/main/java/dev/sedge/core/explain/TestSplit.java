package dev.sedge.core.explain;

import dev.sedge.api.ConfigException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.model.Activations;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.model.CheckpointModel;
import java.util.List;

/**
 * The test split of a run as the explain measurements read it: the model's {@value #LOGITS} on every
 * test input (at the checkpoint's values once, kept as what the others are compared with, and at any
 * others), the accuracy
 * (argmax against the label), the loss (the cross-entropy of the softmax against the label) and the KL
 * of the softmax, each per head and averaged over the heads. For a sequence task the same per scored
 * position (a target that is not {@link TaskData#IGNORE}), averaged over a head's scored positions: the
 * accuracy is then token accuracy, as the trainer's {@code test_acc}. Made once per explanation and shared
 * by its measurements. Immutable.
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
    /** The test inputs as the model reads them ({@link TaskData#modelInputs}). */
    private final int[] inputs;
    /** T, the scored positions per input of a sequence task (its logits row is T blocks of ΣC_h); 1 for a label task. */
    private final int positions;
    /** Per head: test.length × positions targets (a label task's labels), {@link TaskData#IGNORE} where none. */
    private final int[][] targets;
    /** Where head h's classes start within a position's block of the logits row. */
    private final int[] headOffsets;
    /** ΣC_h, one position's block of the logits row. */
    private final int block;
    /** log softmax of the logits at θ, per head, laid out like the logits; and its exp, the softmax. */
    private final double[] baseLog;
    private final double[] baseProbability;
    private final double baseAccuracy;
    private final double baseLoss;

    private TestSplit(CheckpointModel model) {
        this.model = model;
        this.data = model.data();
        this.test = data.test();
        this.inputs = data.modelInputs(test);
        this.positions = data.targetSpec().map(TargetSpec::length).orElse(1);
        int heads = data.heads().size();
        this.targets = new int[heads][];
        this.headOffsets = new int[heads];
        int sum = 0;
        for (int h = 0; h < heads; h++) {
            targets[h] = data.targetSpec().isPresent() ? data.targets(h, test) : labelsOf(data.labels(h), test);
            headOffsets[h] = sum;
            sum += data.heads().get(h).classes();
        }
        this.block = sum;
        Activations base = logits(model.checkpoint());
        if (base.width() != positions * block) {
            throw new IllegalStateException("the model's " + LOGITS + " have " + base.width() + " values per input, the"
                    + " task wants " + positions + " × " + block);
        }
        this.baseLog = new double[base.values().length];
        this.baseProbability = new double[baseLog.length];
        for (int h = 0; h < heads; h++) {
            int classes = data.heads().get(h).classes();
            double[] row = new double[classes];
            for (int i = 0; i < test.length; i++) {
                for (int t = 0; t < positions; t++) {
                    int from = start(i, t, h);
                    logSoftmax(base.values(), from, classes, row);
                    for (int c = 0; c < row.length; c++) {
                        baseLog[from + c] = row[c];
                        baseProbability[from + c] = Math.exp(row[c]);
                    }
                }
            }
        }
        Reading reading = read(base);
        this.baseAccuracy = reading.accuracy();
        this.baseLoss = reading.loss();
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
        return model.apply(parameters, inputs, LOGITS);
    }

    /** The test accuracy at θ. */
    double baseAccuracy() {
        return baseAccuracy;
    }

    /** The test loss at θ. */
    double baseLoss() {
        return baseLoss;
    }

    /**
     * What the measurements read of the logits at some parameters, in one pass over them.
     *
     * @param accuracy the share of test inputs whose argmax logit is the label, averaged over the heads
     * @param loss     the mean over test inputs of −log softmax(logits)[label], averaged over the heads (nats)
     * @param kl       KL(p_θ ‖ q) of the per-head softmax of the logits at θ and these, summed over a head's
     *                 classes, averaged over the test inputs and the heads (nats)
     */
    record Reading(double accuracy, double loss, double kl) {
    }

    /**
     * Accuracy, loss and KL of {@code logits}, one log-softmax per input (per scored position of a
     * sequence task) and head: each a mean over the head's scored inputs or positions (a sequence task's
     * accuracy is token accuracy, as the trainer's), then over the heads.
     */
    Reading read(Activations logits) {
        float[] values = logits.values();
        double accuracy = 0;
        double loss = 0;
        double kl = 0;
        for (int h = 0; h < data.heads().size(); h++) {
            int classes = data.heads().get(h).classes();
            double[] logQ = new double[classes];
            double hits = 0;
            double nats = 0;
            double divergence = 0;
            long scored = 0;
            for (int i = 0; i < test.length; i++) {
                for (int t = 0; t < positions; t++) {
                    int target = targets[h][i * positions + t];
                    if (target == TaskData.IGNORE) {
                        continue;
                    }
                    int from = start(i, t, h);
                    hits += argmax(values, from, classes) == target ? 1 : 0;
                    logSoftmax(values, from, classes, logQ);
                    nats -= logQ[target];
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        sum += baseProbability[from + c] * (baseLog[from + c] - logQ[c]);
                    }
                    divergence += sum;
                    scored++;
                }
            }
            accuracy += hits / scored;
            loss += nats / scored;
            kl += divergence / scored;
        }
        int heads = data.heads().size();
        return new Reading(accuracy / heads, loss / heads, kl / heads);
    }

    /** Where head {@code h}'s logits of test input {@code i} at position {@code t} start. */
    private int start(int i, int t, int h) {
        return (i * positions + t) * block + headOffsets[h];
    }

    private static int[] labelsOf(int[] labels, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[indices[i]];
        }
        return out;
    }

    private static int argmax(float[] values, int from, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (values[from + c] > values[from + best]) {
                best = c;
            }
        }
        return best;
    }

    /** log softmax of {@code values[from, from + classes)} into {@code out}. */
    private static void logSoftmax(float[] values, int from, int classes, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, values[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(values[from + c] - max);
        }
        double log = max + Math.log(sum);
        for (int c = 0; c < classes; c++) {
            out[c] = values[from + c] - log;
        }
    }
}
