package dev.sedge.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.sedge.api.task.Head;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.train.TrainingSession.ModelParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Train and test loss and accuracy of the current model, per head for a multitask, in chunks of at
 * most {@link #CHUNK} examples, each in its own sub-manager of the run manager, without recording a
 * graph ({@link GradMode}). The block runs with {@code training = false}.
 *
 * <p>Losses: the model's loss of a chunk (a mean over its examples) weighted by the chunk's size, so
 * the result is the mean over the split. Per-head losses call the loss with that head's output and
 * labels alone, which is right for losses that add per-head terms (mlp2's); a loss that refuses a
 * single head gives NaN there. Accuracy: the fraction of examples whose arg-max class is the label;
 * for several heads the headline accuracy is the mean over heads. Confined to the session's thread.
 */
final class Evaluator {

    /**
     * The most examples one forward pass takes. Small enough that a pass's intermediates stay below
     * glibc's largest mmap threshold (32 MB) and are reused from the heap: with 4096, mlp2's
     * 4096 × 2048 floats were fresh pages on every evaluation, and evaluating the lock-in setup's
     * 5041 inputs took twice as long (docs/benchmarks.md, "Training: sedge vs PyTorch").
     */
    static final int CHUNK = 1024;

    private final TrainingSession session;
    private final List<String> heads;

    Evaluator(TrainingSession session) {
        this.session = session;
        this.heads = session.data.heads().stream().map(Head::name).toList();
    }

    /** The metrics columns, in order, as {@link Evaluation} documents them. */
    List<String> columns() {
        List<String> columns = new ArrayList<>(MetricsTable.REQUIRED);
        if (heads.size() > 1) {
            for (String head : heads) {
                for (String metric : MetricsTable.REQUIRED) {
                    columns.add(metric + "." + head);
                }
            }
        }
        columns.addAll(List.of("learning_rate", "grad_norm", "weight_norm"));
        return columns;
    }

    /**
     * Evaluates the model after step {@code step}.
     *
     * @param last the step just applied, or null at step 0
     */
    Evaluation evaluate(long step, StepResult last) {
        double[][] trainMetrics = split(session.train);
        double[][] testMetrics = split(session.test);
        SequencedMap<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", trainMetrics[0][0]);
        m.put("test_loss", testMetrics[0][0]);
        m.put("train_acc", mean(trainMetrics[1]));
        m.put("test_acc", mean(testMetrics[1]));
        if (heads.size() > 1) {
            for (int h = 0; h < heads.size(); h++) {
                m.put("train_loss." + heads.get(h), trainMetrics[2][h]);
                m.put("test_loss." + heads.get(h), testMetrics[2][h]);
                m.put("train_acc." + heads.get(h), trainMetrics[1][h]);
                m.put("test_acc." + heads.get(h), testMetrics[1][h]);
            }
        }
        m.put("learning_rate", step > 0 ? session.optimizer.learningRate(step) : Double.NaN);
        m.put("grad_norm", last != null ? last.gradientNorm() : Double.NaN);
        m.put("weight_norm", weightNorm());
        return new Evaluation(step, m);
    }

    /** [0][0] the loss, [1][h] the accuracy of head h, [2][h] the loss of head h (multitask only). */
    private double[][] split(SplitArrays split) {
        int n = split.size();
        int headCount = split.heads();
        double loss = 0;
        long[] correct = new long[headCount];
        double[] headLoss = new double[headCount];
        Loss lossFunction = session.spec.loss();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager scope = session.manager.newSubManager()) {
                NDList batch = split.chunk(scope, from, to);
                NDList labels = SplitArrays.labels(batch);
                NDList outputs = session.spec.block().forward(session.store, SplitArrays.inputs(batch), false);
                loss += lossFunction.evaluate(labels, outputs).getFloat() * (double) (to - from);
                for (int h = 0; h < headCount; h++) {
                    long[] predicted = outputs.get(h).argMax(1).toLongArray();
                    for (int i = 0; i < predicted.length; i++) {
                        if (predicted[i] == split.label(h, from + i)) {
                            correct[h]++;
                        }
                    }
                    if (headCount > 1) {
                        headLoss[h] += headLoss(lossFunction, labels.get(h), outputs.get(h)) * (to - from);
                    }
                }
            }
        }
        double[] accuracy = new double[headCount];
        for (int h = 0; h < headCount; h++) {
            accuracy[h] = n == 0 ? Double.NaN : (double) correct[h] / n;
            headLoss[h] = n == 0 ? Double.NaN : headLoss[h] / n;
        }
        return new double[][] {{n == 0 ? Double.NaN : loss / n}, accuracy, headLoss};
    }

    private static double headLoss(Loss loss, NDArray labels, NDArray output) {
        try {
            return loss.evaluate(new NDList(labels), new NDList(output)).getFloat();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /** ‖θ‖ over every parameter, L2. */
    private double weightNorm() {
        double squares = 0;
        try (NDManager scope = session.manager.newSubManager()) {
            for (ModelParameter p : session.parameters) {
                NDArray view = p.array().stopGradient();
                scope.attachAll(view);
                squares += view.mul(view).sum().getFloat();
            }
        }
        return Math.sqrt(squares);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
