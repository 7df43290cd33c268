package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.djl.model.GreedyDecoding;
import dev.sedge.api.task.Head;
import dev.sedge.core.repulsion.LevelMetric;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.train.TrainingSession.ModelParameter;
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
 *
 * <p>A sequence task (targets per position, {@link SplitArrays#targetLength()} &gt; 0) is scored over
 * its non-IGNORE positions: the loss of a chunk (the model's, a mean over those positions) is weighted by
 * their number, so the result is the mean over the split's scored positions (for several heads, over
 * every head's scored positions together); the accuracy is <b>token accuracy</b>, the fraction of scored
 * positions whose arg-max class is the target; and <b>sequence accuracy</b>, the fraction of examples
 * whose every scored position is right, goes to the extra columns {@code train_seq_acc} and
 * {@code test_seq_acc} (means over heads). For a seq2seq task ({@link SplitArrays#decoded()}) the loss and
 * token accuracy are under teacher forcing, and the sequence accuracy is of <b>greedy decoding</b>
 * ({@link GreedyDecoding#decode}): the share of examples whose decoded output, up to and including its
 * first end class, is the target row (docs/tasks.md). A greedy decoding is right exactly when teacher
 * forcing is right at every scored position of the row (each greedy step then reads the teacher's prefix,
 * and the decoder's output at t depends on inputs 0 … t alone), so only those rows are decoded, to confirm
 * them, and every other row counts as wrong: the same figure as decoding every row, but for an argmax the
 * float rounding of the shorter greedy passes turns at a near-tie, at a fraction of the cost (an untrained
 * model never ends a row, and decoding all of them takes T passes over prefixes of 1 … T).
 *
 * <p>A full-batch run whose model's outputs do not depend on the training flag measures the train split
 * by the next step's forward pass instead ({@link #begin}, {@link Tally}): the same parameters and the
 * same examples, so the same accuracy, and the same loss up to the float rounding of one chunk against
 * several. It saves a forward pass over the train split per evaluation; {@link TrainingLoop} decides.
 */
final class Evaluator {

    /**
     * The most examples one forward pass takes. Small enough that a pass's intermediates stay below
     * glibc's largest mmap threshold (32 MB) and are reused from the heap: with 4096, mlp2's
     * 4096 × 2048 floats were fresh pages on every evaluation, and evaluating the lock-in setup's
     * 5041 inputs took twice as long (docs/benchmarks.md, "Training: sedge vs PyTorch").
     */
    static final int CHUNK = 1024;

    /** The sequence-accuracy columns of a sequence task, after {@code test_acc}. */
    static final List<String> SEQUENCE_COLUMNS = List.of("train_seq_acc", "test_seq_acc");

    private final TrainingSession session;
    private final List<String> heads;
    private final boolean sequence;

    Evaluator(TrainingSession session) {
        this.session = session;
        this.heads = session.data.heads().stream().map(Head::name).toList();
        this.sequence = session.train.targetLength() > 0;
    }

    /** The metrics columns, in order, as {@link Evaluation} documents them. */
    List<String> columns() {
        List<String> columns = new ArrayList<>(MetricsTable.REQUIRED);
        if (sequence) {
            columns.addAll(SEQUENCE_COLUMNS);
        }
        if (heads.size() > 1) {
            for (String head : heads) {
                for (String metric : MetricsTable.REQUIRED) {
                    columns.add(metric + "." + head);
                }
            }
        }
        columns.addAll(List.of("learning_rate", "grad_norm", "weight_norm"));
        if (session.levelProbe != null) {
            columns.add(LevelTrace.COLUMN);
            columns.add(LevelTrace.CENTERED_COLUMN);
        }
        return columns;
    }

    /**
     * Evaluates the model after step {@code step}.
     *
     * @param last the step just applied, or null at step 0
     */
    Evaluation evaluate(long step, StepResult last) {
        return begin(step, last).complete(measureTrain());
    }

    /**
     * Everything of the evaluation after step {@code step} but the train split: the caller completes it
     * with a {@link #trainTally()} filled by the next full-batch step's forward pass, which sees the same
     * parameters (see {@link dev.sedge.api.djl.model.ModelSpec#trainingChangesOutputs()}).
     *
     * @param last the step just applied, or null at step 0
     */
    Partial begin(long step, StepResult last) {
        return new Partial(step, heads, measure(session.test).metrics(),
                step > 0 ? session.optimizer.learningRate(step) : Double.NaN,
                last != null ? last.gradientNorm() : Double.NaN, weightNorm(),
                session.levelProbe == null ? null : level(step));
    }

    /** The train split's tally, from passes of its own. */
    Tally measureTrain() {
        return measure(session.train);
    }

    /** An empty tally of the train split. */
    Tally trainTally() {
        return new Tally(session.train, session.spec.loss());
    }

    /**
     * An evaluation waiting for its train split's metrics.
     *
     * @param test [0][0] the loss, [1][h] the accuracy of head h, [2][h] the loss of head h, [3][h] the
     *             sequence accuracy of head h (sequence task), as {@link Tally#metrics}
     */
    record Partial(long step, List<String> heads, double[][] test, double learningRate, double gradientNorm,
                   double weightNorm, double[] level) {

        /** @throws IllegalStateException if {@code train} has not seen every example of its split */
        Evaluation complete(Tally train) {
            double[][] trainMetrics = train.metrics();
            SequencedMap<String, Double> m = new LinkedHashMap<>();
            m.put("train_loss", trainMetrics[0][0]);
            m.put("test_loss", test[0][0]);
            m.put("train_acc", mean(trainMetrics[1]));
            m.put("test_acc", mean(test[1]));
            if (test.length > 3) {
                m.put(SEQUENCE_COLUMNS.get(0), mean(trainMetrics[3]));
                m.put(SEQUENCE_COLUMNS.get(1), mean(test[3]));
            }
            if (heads.size() > 1) {
                for (int h = 0; h < heads.size(); h++) {
                    m.put("train_loss." + heads.get(h), trainMetrics[2][h]);
                    m.put("test_loss." + heads.get(h), test[2][h]);
                    m.put("train_acc." + heads.get(h), trainMetrics[1][h]);
                    m.put("test_acc." + heads.get(h), test[1][h]);
                }
            }
            m.put("learning_rate", learningRate);
            m.put("grad_norm", gradientNorm);
            m.put("weight_norm", weightNorm);
            if (level != null) {
                m.put(LevelTrace.COLUMN, level[0]);
                m.put(LevelTrace.CENTERED_COLUMN, level[1]);
            }
            return new Evaluation(step, m);
        }
    }

    /** The split's tally, from forward passes of at most {@link #CHUNK} examples. */
    private Tally measure(SplitArrays split) {
        Tally tally = new Tally(split, session.spec.loss());
        for (int from = 0; from < split.size(); from += CHUNK) {
            int to = Math.min(split.size(), from + CHUNK);
            try (NDManager scope = session.manager.newSubManager()) {
                NDList batch = split.chunk(scope, from, to);
                tally.add(from, split.labels(batch),
                        session.spec.block().forward(session.store, split.inputs(batch), false));
                if (split.decoded().isPresent()) {
                    decodeConfirming(tally, split, from, to, scope);
                }
            }
        }
        return tally;
    }

    /**
     * Greedy decoding of the rows of [from, to) that teacher forcing got wholly right (the others cannot be
     * decoded right: see the class comment), added to {@code tally}.
     */
    private void decodeConfirming(Tally tally, SplitArrays split, int from, int to, NDManager scope) {
        int[] rows = tally.teacherForcedRight();
        int[] decoded = new int[0];
        if (rows.length > 0) {
            int length = split.sequenceLength();
            int[] chunk = split.tokens(from, to);
            int[] tokens = new int[rows.length * length];
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(chunk, rows[k] * length, tokens, k * length, length);
            }
            decoded = GreedyDecoding.decode(session.spec.block(), session.store, scope, tokens, length,
                    split.decoded().get());
        }
        tally.addDecoded(from, to - from, rows, decoded);
    }

    /**
     * ρ of the train split's features at the level probe point in both readings ({raw, centered}), when
     * {@code step} is a multiple of {@code train.level-every}; NaN otherwise. The Gram, FFᵀ (n × n) or
     * FᵀF (K × K) whichever is smaller, is the engine's (float32, the expensive part); ρ itself is taken
     * from it in float64 ({@link LevelMetric}).
     */
    private double[] level(long step) {
        if (step % session.experiment.train().levelEvery() != 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        try (NDManager scope = session.manager.newSubManager()) {
            NDArray features = features(session, session.train, session.levelProbe, scope);
            int n = session.train.size();
            if (n <= features.getShape().get(1)) {
                float[] gram = features.matMul(features.transpose()).toFloatArray();
                return new double[] {LevelMetric.rho(gram, n, LevelMetric.Reading.RAW),
                    LevelMetric.rho(gram, n, LevelMetric.Reading.CENTERED)};
            }
            float[] gram = features.transpose().matMul(features).toFloatArray();
            float[] sums = features.sum(new int[] {0}).toFloatArray();
            double[] columnSums = new double[sums.length];
            for (int c = 0; c < sums.length; c++) {
                columnSums[c] = sums[c];
            }
            return new double[] {LevelMetric.rhoFromFeatures(gram, columnSums, n, LevelMetric.Reading.RAW),
                LevelMetric.rhoFromFeatures(gram, columnSums, n, LevelMetric.Reading.CENTERED)};
        }
    }

    /**
     * The activations at {@code point} of every example of {@code split}, in its order, as one
     * n × width array on {@code scope} (a probe point's output flattened per example), computed in
     * chunks of {@link #CHUNK} without recording a graph.
     */
    static NDArray features(TrainingSession session, SplitArrays split, String point, NDManager scope) {
        NDList parts = new NDList();
        for (int from = 0; from < split.size(); from += CHUNK) {
            int to = Math.min(split.size(), from + CHUNK);
            parts.add(session.spec.probe(session.store, split.inputs(split.chunk(scope, from, to)), point));
        }
        return (parts.size() == 1 ? parts.getFirst() : NDArrays.concat(parts)).reshape(split.size(), -1);
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
