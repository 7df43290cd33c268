package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The inputs and labels of one split (train or test) as plain arrays, and the batches made from
 * them: the whole split, a contiguous chunk of it, or a minibatch sampled with replacement.
 * For a sequence task the labels are the targets instead: T per example and head
 * ({@link #targetLength()}), {@link TaskData#IGNORE} where there is none, and a batch carries them as
 * batch × T arrays. A seq2seq task ({@link TargetSpec.Decoded}) also feeds its decoder: a batch's model
 * input is the tokens and the decoder inputs under teacher forcing
 * ({@link TargetSpec.Decoded#teacherForced}), batch × T. Immutable after construction; every NDArray it
 * makes belongs to the manager it is given.
 */
final class SplitArrays {

    private final int size;
    private final int sequenceLength;
    private final int[] tokens;
    /** Per head: size labels, or size × targetLength targets, row-major. */
    private final int[][] labels;
    /** T, targets per example and head; 0 for a label task. */
    private final int targetLength;
    /** The seq2seq spec, or null. */
    private final TargetSpec.Decoded decoded;
    /** A seq2seq task's decoder inputs under teacher forcing, size × T, row-major; else null. */
    private final int[] decoderInputs;

    /**
     * @param indices the split's input indices into {@code data}; not modified
     */
    SplitArrays(TaskData data, int[] indices) {
        this.size = indices.length;
        this.sequenceLength = data.sequenceLength();
        int[] all = data.tokens();
        this.tokens = new int[size * sequenceLength];
        for (int i = 0; i < size; i++) {
            System.arraycopy(all, indices[i] * sequenceLength, tokens, i * sequenceLength, sequenceLength);
        }
        int heads = data.heads().size();
        this.targetLength = data.targetSpec().map(spec -> spec.length()).orElse(0);
        this.labels = new int[heads][];
        for (int h = 0; h < heads; h++) {
            if (targetLength > 0) {
                labels[h] = data.targets(h, indices);
                continue;
            }
            int[] headLabels = data.labels(h);
            labels[h] = new int[size];
            for (int i = 0; i < size; i++) {
                labels[h][i] = headLabels[indices[i]];
            }
        }
        this.decoded = data.targetSpec().orElse(null) instanceof TargetSpec.Decoded d ? d : null;
        if (decoded != null && heads != 1) {
            throw new IllegalArgumentException("a seq2seq task decodes one head, found " + heads);
        }
        this.decoderInputs = decoded == null ? null : decoded.teacherForced(labels[0]);
    }

    private SplitArrays(int size, int sequenceLength, int[] tokens, TargetSpec.Decoded decoded, int[] decoderInputs) {
        this.size = size;
        this.sequenceLength = sequenceLength;
        this.tokens = tokens;
        this.labels = new int[0][];
        this.targetLength = decoded == null ? 0 : decoded.length();
        this.decoded = decoded;
        this.decoderInputs = decoderInputs;
    }

    /**
     * Inputs without labels, as the analyses of a {@link dev.sedge.api.model.ModelFunction} evaluate them.
     *
     * @param inputs {@code size × shape.inputWidth()}, row-major, as {@link TaskData#modelInputs} lays them out:
     *               each row's tokens, for a seq2seq shape followed by its decoder inputs; not modified
     * @throws IllegalArgumentException if they are empty or no whole number of inputs, or a token lies outside
     *                                  the vocabulary (a decoder input outside the classes)
     */
    static SplitArrays unlabelled(int[] inputs, TaskShape shape) {
        int s = shape.sequenceLength();
        int width = shape.inputWidth();
        if (inputs.length == 0 || inputs.length % width != 0) {
            throw new IllegalArgumentException(inputs.length + " ints are no whole number >= 1 of inputs of "
                    + width + (width == s ? " tokens" : " (" + s + " tokens and " + (width - s) + " decoder inputs)"));
        }
        for (int i = 0; i < inputs.length; i++) {
            boolean token = i % width < s;
            int limit = token ? shape.vocabularySize() : shape.headClasses().getFirst();
            if (inputs[i] < 0 || inputs[i] >= limit) {
                throw new IllegalArgumentException((token ? "token " : "decoder input ") + inputs[i] + " outside "
                        + (token ? "the vocabulary" : "the classes") + " [0, " + limit + ")");
            }
        }
        int size = inputs.length / width;
        if (!(shape.targetSpec().orElse(null) instanceof TargetSpec.Decoded spec)) {
            return new SplitArrays(size, s, inputs.clone(), null, null);
        }
        int t = spec.length();
        int[] tokens = new int[size * s];
        int[] decoder = new int[size * t];
        for (int i = 0; i < size; i++) {
            System.arraycopy(inputs, i * width, tokens, i * s, s);
            System.arraycopy(inputs, i * width + s, decoder, i * t, t);
        }
        return new SplitArrays(size, s, tokens, spec, decoder);
    }

    /** The tokens of every example, row-major (a copy). */
    int[] tokens() {
        return tokens.clone();
    }

    /** The tokens of examples [from, to), row-major (a copy). */
    int[] tokens(int from, int to) {
        return Arrays.copyOfRange(tokens, from * sequenceLength, to * sequenceLength);
    }

    /** Tokens per example, S. */
    int sequenceLength() {
        return sequenceLength;
    }

    /** Number of examples. */
    int size() {
        return size;
    }

    int heads() {
        return labels.length;
    }

    /** T, the targets per example and head of a sequence task; 0 for a label task. */
    int targetLength() {
        return targetLength;
    }

    /** The seq2seq spec of a task whose decoder emits its targets, or empty. */
    Optional<TargetSpec.Decoded> decoded() {
        return Optional.ofNullable(decoded);
    }

    /** The label of example {@code i} for head {@code h}; a label task's. */
    int label(int h, int i) {
        return labels[h][i];
    }

    /** Target {@code t} of example {@code i} for head {@code h}, or {@link TaskData#IGNORE}; a sequence task's. */
    int target(int h, int i, int t) {
        return labels[h][i * targetLength + t];
    }

    /**
     * Examples [from, to) as model input and labels.
     *
     * @return the INT32 tokens (batch × S) first (for a seq2seq task then the INT32 decoder inputs,
     *         batch × T), then one INT32 label array (batch) per head, or for a sequence task one INT32 target
     *         array (batch × T) per head; on {@code manager}
     */
    NDList chunk(NDManager manager, int from, int to) {
        int n = to - from;
        int[] x = new int[n * sequenceLength];
        System.arraycopy(tokens, from * sequenceLength, x, 0, x.length);
        NDList out = new NDList(inputCount() + labels.length);
        out.add(manager.create(x, new Shape(n, sequenceLength)));
        int width = Math.max(1, targetLength);
        if (decoderInputs != null) {
            int[] u = new int[n * width];
            System.arraycopy(decoderInputs, from * width, u, 0, u.length);
            out.add(manager.create(u, new Shape(n, width)));
        }
        for (int[] head : labels) {
            int[] y = new int[n * width];
            System.arraycopy(head, from * width, y, 0, y.length);
            out.add(targetArray(manager, y, n));
        }
        return out;
    }

    /** {@code y} as a batch (label task) or batch × T (sequence task) array on {@code manager}. */
    private NDArray targetArray(NDManager manager, int[] y, int batch) {
        return targetLength > 0 ? manager.create(y, new Shape(batch, targetLength)) : manager.create(y);
    }

    /**
     * A minibatch of {@code batchSize} examples drawn uniformly with replacement by {@code random}.
     *
     * @param random modified: advanced by {@code batchSize} draws
     * @return as {@link #chunk}
     */
    NDList sample(NDManager manager, int batchSize, SplittableRandom random) {
        int[] x = new int[batchSize * sequenceLength];
        int width = Math.max(1, targetLength);
        int[][] y = new int[labels.length][batchSize * width];
        int[] u = decoderInputs == null ? null : new int[batchSize * width];
        for (int b = 0; b < batchSize; b++) {
            int i = random.nextInt(size);
            System.arraycopy(tokens, i * sequenceLength, x, b * sequenceLength, sequenceLength);
            for (int h = 0; h < labels.length; h++) {
                System.arraycopy(labels[h], i * width, y[h], b * width, width);
            }
            if (u != null) {
                System.arraycopy(decoderInputs, i * width, u, b * width, width);
            }
        }
        NDList out = new NDList(inputCount() + labels.length);
        out.add(manager.create(x, new Shape(batchSize, sequenceLength)));
        if (u != null) {
            out.add(manager.create(u, new Shape(batchSize, width)));
        }
        for (int[] head : y) {
            out.add(targetArray(manager, head, batchSize));
        }
        return out;
    }

    /** Arrays of model input at the head of a batch: the tokens, and a seq2seq task's decoder inputs. */
    private int inputCount() {
        return decoderInputs == null ? 1 : 2;
    }

    /** The model input of a batch made by {@link #chunk} or {@link #sample} of this split. */
    NDList inputs(NDList batch) {
        return batch.subNDList(0, inputCount());
    }

    /** The labels of a batch made by {@link #chunk} or {@link #sample} of this split, one array per head. */
    NDList labels(NDList batch) {
        return batch.subNDList(inputCount());
    }
}
