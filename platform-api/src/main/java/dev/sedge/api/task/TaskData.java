package dev.sedge.api.task;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The data of one task instance: every input as a token sequence, its labels per head, the
 * input domain, and the train/test split. Immutable; arrays are copied in and out.
 *
 * <p>Shapes: {@code n} inputs, each a sequence of {@link #sequenceLength()} tokens in
 * [0, {@link #vocabularySize()}); for head h, {@code labels(h)} has n entries in
 * [0, head.classes()). Train and test are disjoint sets of input indices, each sorted.
 */
public final class TaskData {

    private final String description;
    private final InputDomain domain;
    private final int sequenceLength;
    private final int vocabularySize;
    private final int[] tokens;
    private final List<Head> heads;
    private final int[][] labels;
    private final int[] train;
    private final int[] test;

    /**
     * @param description    human-readable, with parameters: {@code (a + b) mod 71}
     * @param tokens         n × sequenceLength, row-major; not modified; copied
     * @param labels         one array of n labels per head, in head order; not modified; copied
     * @param train          input indices; not modified; copied and sorted
     * @param test           input indices disjoint from {@code train}; not modified; copied and sorted
     */
    public TaskData(String description, InputDomain domain, int sequenceLength, int vocabularySize, int[] tokens,
                    List<Head> heads, int[][] labels, int[] train, int[] test) {
        this.description = Objects.requireNonNull(description, "description");
        this.domain = Objects.requireNonNull(domain, "domain");
        int n = domain.size();
        if (sequenceLength < 1 || tokens.length != (long) n * sequenceLength) {
            throw new IllegalArgumentException("tokens: expected " + n + " x " + sequenceLength + " values, found "
                    + tokens.length);
        }
        for (int t : tokens) {
            if (t < 0 || t >= vocabularySize) {
                throw new IllegalArgumentException("token " + t + " outside vocabulary [0, " + vocabularySize + ")");
            }
        }
        this.heads = List.copyOf(heads);
        if (this.heads.isEmpty() || labels.length != this.heads.size()) {
            throw new IllegalArgumentException("expected one label array per head (" + this.heads.size() + "), found "
                    + labels.length);
        }
        this.labels = new int[labels.length][];
        for (int h = 0; h < labels.length; h++) {
            Head head = this.heads.get(h);
            if (labels[h].length != n) {
                throw new IllegalArgumentException("head " + head.name() + ": " + labels[h].length + " labels for "
                        + n + " inputs");
            }
            for (int y : labels[h]) {
                if (y < 0 || y >= head.classes()) {
                    throw new IllegalArgumentException("head " + head.name() + ": label " + y + " outside [0, "
                            + head.classes() + ")");
                }
            }
            this.labels[h] = labels[h].clone();
        }
        this.sequenceLength = sequenceLength;
        this.vocabularySize = vocabularySize;
        this.tokens = tokens.clone();
        this.train = sortedIndices("train", train, n);
        this.test = sortedIndices("test", test, n);
        for (int i : this.test) {
            if (Arrays.binarySearch(this.train, i) >= 0) {
                throw new IllegalArgumentException("input " + i + " is in both train and test");
            }
        }
    }

    private static int[] sortedIndices(String what, int[] indices, int n) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < sorted.length; k++) {
            if (sorted[k] < 0 || sorted[k] >= n || (k > 0 && sorted[k] == sorted[k - 1])) {
                throw new IllegalArgumentException(what + " index " + sorted[k] + " is out of range or repeated");
            }
        }
        return sorted;
    }

    public String description() {
        return description;
    }

    public InputDomain domain() {
        return domain;
    }

    /** Number of inputs, n. */
    public int size() {
        return domain.size();
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /** n × sequenceLength tokens, row-major. A new array. */
    public int[] tokens() {
        return tokens.clone();
    }

    /**
     * The tokens of the inputs {@code indices} (a split, or any selection), in that order,
     * {@code indices.length × sequenceLength}, row-major. A new array.
     *
     * @throws IndexOutOfBoundsException for an index outside [0, {@link #size()})
     */
    public int[] tokens(int[] indices) {
        int[] out = new int[indices.length * sequenceLength];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(tokens, Objects.checkIndex(indices[i], size()) * sequenceLength, out, i * sequenceLength,
                    sequenceLength);
        }
        return out;
    }

    public List<Head> heads() {
        return heads;
    }

    /** The labels of head {@code h} (index into {@link #heads()}), one per input. A new array. */
    public int[] labels(int h) {
        return labels[h].clone();
    }

    /** Sorted train indices. A new array. */
    public int[] train() {
        return train.clone();
    }

    /** Sorted test indices. A new array. */
    public int[] test() {
        return test.clone();
    }

    @Override
    public String toString() {
        return "TaskData[" + description + ", n=" + size() + ", train=" + train.length + ", test=" + test.length + "]";
    }
}
