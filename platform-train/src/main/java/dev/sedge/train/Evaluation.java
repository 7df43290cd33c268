package dev.sedge.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The metrics of one evaluation, in {@code metrics.csv} column order: {@code train_loss},
 * {@code test_loss}, {@code train_acc}, {@code test_acc}, then for a sequence task
 * {@code train_seq_acc} and {@code test_seq_acc}, then per head for a multitask
 * ({@code train_loss.<head>} …), then {@code learning_rate}, {@code grad_norm} and
 * {@code weight_norm}. Losses are means over the split's examples (a sequence task's: over its
 * non-IGNORE positions); accuracies are fractions in [0, 1] (for several heads, the mean over
 * heads; a sequence task's {@code *_acc} are token accuracies, its {@code *_seq_acc} the share of
 * examples with every scored position right); NaN where undefined (an empty split; the learning
 * rate and gradient norm at step 0).
 *
 * @param step    the evaluation's step: the model after that many updates
 * @param metrics column to value; copied, unmodifiable, in column order
 */
public record Evaluation(long step, SequencedMap<String, Double> metrics) {

    public Evaluation {
        metrics = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(metrics));
    }

    /** The value of {@code column}, or NaN if this evaluation has no such column. */
    public double value(String column) {
        return metrics.getOrDefault(column, Double.NaN);
    }

    public double testAccuracy() {
        return value("test_acc");
    }

    public double trainLoss() {
        return value("train_loss");
    }
}
