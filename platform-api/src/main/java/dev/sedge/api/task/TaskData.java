package dev.sedge.api.task;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The data of one task instance: every input as a token sequence, its labels per head (or, for a
 * sequence task, its targets per position and head), the input domain, and the train/test split.
 * Immutable; arrays are copied in and out.
 *
 * <p>Shapes: {@code n} inputs, each a sequence of {@link #sequenceLength()} tokens in
 * [0, {@link #vocabularySize()}). Train and test are disjoint sets of input indices, each sorted.
 * Then one of two kinds:
 * <ul>
 *   <li>a <b>label task</b> (modular arithmetic): for head h, {@code labels(h)} has n entries in
 *       [0, head.classes()); {@link #targetSpec()} is empty;</li>
 *   <li>a <b>sequence task</b> (Dyck-1, SCAN): {@link #targetSpec()} is present and says how the
 *       targets read; for head h, {@code targets(h)} is n × T ({@code T = targetSpec().length()}),
 *       row-major, each entry in [0, head.classes()) or {@link #IGNORE}. Such a task has no
 *       per-input label: {@link #labels(int)} refuses, so a consumer that knows only labels fails
 *       loudly rather than training on the wrong thing.</li>
 * </ul>
 */
public final class TaskData {

    /** A target position without a target (padding): losses and accuracies skip it. */
    public static final int IGNORE = -1;

    private final String description;
    private final InputDomain domain;
    private final int sequenceLength;
    private final int vocabularySize;
    private final int[] tokens;
    private final List<Head> heads;
    private final int[][] labels;
    private final TargetSpec targetSpec;
    private final int[][] targets;
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
        this(description, domain, sequenceLength, vocabularySize, tokens, heads, Objects.requireNonNull(labels,
                "labels"), null, null, train, test);
    }

    /**
     * A sequence task: targets per position instead of labels per input.
     *
     * @param description    human-readable, with parameters: {@code Dyck-1 depth, 1-12 pairs, length 24}
     * @param tokens         n × sequenceLength, row-major; not modified; copied
     * @param targetSpec     how the targets read; an {@link TargetSpec.Aligned} spec's length must be
     *                       {@code sequenceLength}, a {@link TargetSpec.Decoded} spec's bos and eos classes of
     *                       every head
     * @param targets        one n × T array per head (T = {@code targetSpec.length()}), row-major, in head
     *                       order; each entry a class of the head or {@link #IGNORE}; a
     *                       {@link TargetSpec.Decoded} row as its spec says; not modified; copied
     * @param train          input indices; not modified; copied and sorted
     * @param test           input indices disjoint from {@code train}; not modified; copied and sorted
     * @throws IllegalArgumentException for a shape, class or row that breaks these rules, naming the
     *                                  head, input and position
     */
    public TaskData(String description, InputDomain domain, int sequenceLength, int vocabularySize, int[] tokens,
                    List<Head> heads, TargetSpec targetSpec, int[][] targets, int[] train, int[] test) {
        this(description, domain, sequenceLength, vocabularySize, tokens, heads, null,
                Objects.requireNonNull(targetSpec, "targetSpec"), Objects.requireNonNull(targets, "targets"), train,
                test);
    }

    private TaskData(String description, InputDomain domain, int sequenceLength, int vocabularySize, int[] tokens,
                     List<Head> heads, int[][] labels, TargetSpec targetSpec, int[][] targets, int[] train,
                     int[] test) {
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
        this.labels = labels == null ? null : checkedLabels(this.heads, labels, n);
        this.targetSpec = targetSpec;
        this.targets = targets == null ? null
                : TargetChecks.checked(this.heads, targetSpec, targets, n, sequenceLength, vocabularySize);
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

    private static int[][] checkedLabels(List<Head> heads, int[][] labels, int n) {
        if (heads.isEmpty() || labels.length != heads.size()) {
            throw new IllegalArgumentException("expected one label array per head (" + heads.size() + "), found "
                    + labels.length);
        }
        int[][] copy = new int[labels.length][];
        for (int h = 0; h < labels.length; h++) {
            Head head = heads.get(h);
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
            copy[h] = labels[h].clone();
        }
        return copy;
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

    /**
     * What a {@link dev.sedge.api.model.ModelFunction} reads of the inputs {@code indices}, in that order: each
     * input's tokens, and for a seq2seq task ({@link TargetSpec.Decoded}) its T decoder inputs under teacher
     * forcing ({@link TargetSpec.Decoded#teacherForced}) after them; {@code indices.length ×}
     * {@link dev.sedge.api.model.TaskShape#inputWidth()}, row-major. A new array.
     *
     * @throws IndexOutOfBoundsException for an index outside [0, {@link #size()})
     */
    public int[] modelInputs(int[] indices) {
        int[] tokens = tokens(indices);
        if (!(targetSpec instanceof TargetSpec.Decoded decoded)) {
            return tokens;
        }
        int t = decoded.length();
        int[] decoder = decoded.teacherForced(targets(0, indices));
        int width = sequenceLength + t;
        int[] out = new int[indices.length * width];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(tokens, i * sequenceLength, out, i * width, sequenceLength);
            System.arraycopy(decoder, i * t, out, i * width + sequenceLength, t);
        }
        return out;
    }

    /** {@link #modelInputs(int[])} of every input, in order. */
    public int[] modelInputs() {
        return modelInputs(IntStream.range(0, size()).toArray());
    }

    public List<Head> heads() {
        return heads;
    }

    /**
     * The labels of head {@code h} (index into {@link #heads()}), one per input. A new array.
     *
     * @throws IllegalStateException for a sequence task, which has {@link #targets(int)} instead
     */
    public int[] labels(int h) {
        if (labels == null) {
            throw new IllegalStateException(description + " is a sequence task: it has targets per position ("
                    + targetSpec + "), not one label per input; read targets(h)");
        }
        return labels[h].clone();
    }

    /** How the targets of a sequence task read; empty for a label task. */
    public Optional<TargetSpec> targetSpec() {
        return Optional.ofNullable(targetSpec);
    }

    /**
     * The targets of head {@code h} (index into {@link #heads()}), n × T row-major, T =
     * {@code targetSpec().length()}; each a class of the head or {@link #IGNORE}. A new array.
     *
     * @throws IllegalStateException for a label task, which has {@link #labels(int)} instead
     */
    public int[] targets(int h) {
        return requireTargets()[h].clone();
    }

    /**
     * The targets of head {@code h} for the inputs {@code indices} (a split, or any selection), in that
     * order, {@code indices.length × T}, row-major. A new array.
     *
     * @throws IllegalStateException     for a label task
     * @throws IndexOutOfBoundsException for an index outside [0, {@link #size()})
     */
    public int[] targets(int h, int[] indices) {
        int[] all = requireTargets()[h];
        int length = targetSpec.length();
        int[] out = new int[indices.length * length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(all, Objects.checkIndex(indices[i], size()) * length, out, i * length, length);
        }
        return out;
    }

    private int[][] requireTargets() {
        if (targets == null) {
            throw new IllegalStateException(description + " has one label per input (labels(h)), no targets per"
                    + " position");
        }
        return targets;
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
        return "TaskData[" + description + ", n=" + size() + ", train=" + train.length + ", test=" + test.length
                + (targetSpec == null ? "" : ", " + targetSpec) + "]";
    }
}
