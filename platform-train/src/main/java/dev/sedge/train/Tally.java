package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.sedge.api.djl.model.GreedyDecoding;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;

/** Loss and accuracy over one split, added up chunk by chunk of the model's outputs. */
final class Tally {
    private final SplitArrays split;
    private final Loss loss;
    private final long[] correct;
    private final double[] headLoss;
    /** Sequence task: per head, the scored positions seen, and the examples all right. */
    private final long[] scored;
    private final long[] rowsRight;
    /** Seq2seq task: examples settled so far (decoded or wrong under teacher forcing). */
    private int decodedRows;
    /** Seq2seq task: the rows of the last chunk added that teacher forcing got wholly right, chunk-relative. */
    private int[] teacherRight = new int[0];
    private double lossSum;
    private long lossWeight;
    private int seen;

    Tally(SplitArrays split, Loss loss) {
        this.split = split;
        this.loss = loss;
        this.correct = new long[split.heads()];
        this.headLoss = new double[split.heads()];
        this.scored = new long[split.heads()];
        this.rowsRight = new long[split.heads()];
    }

    /**
     * Adds examples [from, from + batch) of the split.
     *
     * @param labels  their labels, one array per head
     * @param outputs the model's outputs for them, one array per head
     */
    void add(int from, NDList labels, NDList outputs) {
        if (split.targetLength() > 0) {
            addPositions(from, labels, outputs);
            return;
        }
        int count = Math.toIntExact(outputs.getFirst().getShape().get(0));
        lossSum += loss.evaluate(labels, outputs).getFloat() * (double) count;
        for (int h = 0; h < correct.length; h++) {
            long[] predicted = outputs.get(h).argMax(1).toLongArray();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == split.label(h, from + i)) {
                    correct[h]++;
                }
            }
            if (correct.length > 1) {
                headLoss[h] += headLoss(loss, labels.get(h), outputs.get(h)) * count;
            }
        }
        seen += count;
    }

    /** {@link #add} for a sequence task: outputs batch × T × C_h, targets batch × T. */
    private void addPositions(int from, NDList labels, NDList outputs) {
        int count = Math.toIntExact(outputs.getFirst().getShape().get(0));
        int length = split.targetLength();
        long[] chunkScored = new long[correct.length];
        int[] right = new int[count];
        int rights = 0;
        for (int h = 0; h < correct.length; h++) {
            long[] predicted = outputs.get(h).argMax(2).toLongArray();
            for (int i = 0; i < count; i++) {
                boolean rowRight = true;
                for (int t = 0; t < length; t++) {
                    int target = split.target(h, from + i, t);
                    if (target == TaskData.IGNORE) {
                        continue;
                    }
                    chunkScored[h]++;
                    if (predicted[i * length + t] == target) {
                        correct[h]++;
                    } else {
                        rowRight = false;
                    }
                }
                if (rowRight && split.decoded().isEmpty()) {
                    rowsRight[h]++;
                } else if (rowRight) {
                    right[rights++] = i;
                }
            }
            scored[h] += chunkScored[h];
        }
        long weight = 0;
        for (long s : chunkScored) {
            weight += s;
        }
        teacherRight = Arrays.copyOf(right, rights);
        lossSum += loss.evaluate(labels, outputs).getFloat() * (double) weight;
        lossWeight += weight;
        if (correct.length > 1) {
            for (int h = 0; h < correct.length; h++) {
                headLoss[h] += headLoss(loss, labels.get(h), outputs.get(h)) * chunkScored[h];
            }
        }
        seen += count;
    }

    /** The rows of the chunk last {@link #add}ed that teacher forcing got wholly right, relative to its start. */
    int[] teacherForcedRight() {
        return teacherRight.clone();
    }

    /**
     * Settles examples [from, from + count) of a seq2seq split: row {@code from + rows[k]} is right when its
     * greedy decoding, row k of {@code decoded}, equals its target row ({@link GreedyDecoding#decode} writes
     * the target rows' layout); every other row of the range is wrong.
     *
     * @param rows    chunk-relative rows, as {@link #teacherForcedRight()}; not modified
     * @param decoded rows.length × T classes, row-major; not modified
     */
    void addDecoded(int from, int count, int[] rows, int[] decoded) {
        int length = split.targetLength();
        for (int k = 0; k < rows.length; k++) {
            boolean right = true;
            for (int t = 0; t < length && right; t++) {
                right = decoded[k * length + t] == split.target(0, from + rows[k], t);
            }
            if (right) {
                rowsRight[0]++;
            }
        }
        decodedRows += count;
    }

    /** Whether every example of the split was added (and, for a seq2seq split, decoded). */
    boolean complete() {
        return seen == split.size() && (split.decoded().isEmpty() || decodedRows == split.size());
    }

    /**
     * [0][0] the loss, [1][h] the accuracy of head h, [2][h] the loss of head h (multitask only); NaN for
     * an empty split. For a sequence task the loss and accuracies are over the scored positions, and
     * [3][h] is the sequence accuracy of head h.
     *
     * @throws IllegalStateException if not {@link #complete()}
     */
    double[][] metrics() {
        if (!complete()) {
            throw new IllegalStateException("the tally saw " + seen + " of " + split.size() + " examples");
        }
        int n = split.size();
        double[] accuracy = new double[correct.length];
        double[] perHead = new double[correct.length];
        if (split.targetLength() > 0) {
            double[] rows = new double[correct.length];
            for (int h = 0; h < correct.length; h++) {
                accuracy[h] = scored[h] == 0 ? Double.NaN : (double) correct[h] / scored[h];
                perHead[h] = scored[h] == 0 ? Double.NaN : headLoss[h] / scored[h];
                rows[h] = n == 0 ? Double.NaN : (double) rowsRight[h] / n;
            }
            return new double[][] {{lossWeight == 0 ? Double.NaN : lossSum / lossWeight}, accuracy, perHead, rows};
        }
        for (int h = 0; h < correct.length; h++) {
            accuracy[h] = n == 0 ? Double.NaN : (double) correct[h] / n;
            perHead[h] = n == 0 ? Double.NaN : headLoss[h] / n;
        }
        return new double[][] {{n == 0 ? Double.NaN : lossSum / n}, accuracy, perHead};
    }

    private static double headLoss(Loss loss, NDArray labels, NDArray output) {
        try {
            return loss.evaluate(new NDList(labels), new NDList(output)).getFloat();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }
}
