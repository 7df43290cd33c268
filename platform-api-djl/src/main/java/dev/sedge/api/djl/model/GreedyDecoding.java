package dev.sedge.api.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;
import java.util.Objects;

/**
 * Greedy decoding of a seq2seq model ({@link TargetSpec.Decoded}), as the spec defines it: start from
 * {@code bos}, append the argmax class, stop after {@code eos} or after T symbols. The one implementation, for
 * the host and plugins alike; the decoder inputs under teacher forcing are {@link TargetSpec.Decoded#teacherForced}.
 *
 * <p>The block's contract for a decoded task (see {@link ModelSpec}): input the tokens (batch × S) and the
 * decoder inputs (batch × L, 1 ≤ L ≤ T), both INT32; output one FLOAT32 array batch × L × C, whose position
 * t depends on the tokens and decoder inputs 0 … t alone. Greedy decoding runs it T times at most, on
 * prefixes of length 1, 2, … of the rows that have not ended yet (no cache: each pass runs the whole
 * model, encoder included, on the prefix).
 *
 * <p>Stateless; not for concurrent use of one block.
 */
public final class GreedyDecoding {

    private GreedyDecoding() {
    }

    /**
     * Decodes every row of {@code tokens} greedily, in inference mode ({@code training = false}); records no
     * graph of its own (the caller keeps gradient recording off).
     *
     * @param block   the model's initialised block; not modified
     * @param store   the parameters; not modified
     * @param manager every array of the call lives in a sub-manager of it, closed before the call returns
     * @param tokens  n × S input tokens, row-major; not modified
     * @param spec    T, bos and eos
     * @return a new n × T array, row-major: row i is the decoded symbols, the first {@code eos} included, then
     *         {@link TaskData#IGNORE} to T — the layout of a target row, so a row is decoded right exactly when
     *         it equals its target row
     * @throws IllegalArgumentException if the block's output is not batch × L × C
     */
    public static int[] decode(Block block, ParameterStore store, NDManager manager, int[] tokens,
                               int sequenceLength, TargetSpec.Decoded spec) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(store, "store");
        int rows = tokens.length / sequenceLength;
        int length = spec.length();
        int[] decoded = new int[rows * length];
        Arrays.fill(decoded, TaskData.IGNORE);
        // the rows still open (no eos yet), in order; each pass feeds those alone
        int[] open = new int[rows];
        for (int row = 0; row < rows; row++) {
            open[row] = row;
        }
        int count = rows;
        for (int t = 0; t < length && count > 0; t++) {
            int prefix = t + 1;
            int[] fedTokens = new int[count * sequenceLength];
            int[] fed = new int[count * prefix];
            for (int r = 0; r < count; r++) {
                int row = open[r];
                System.arraycopy(tokens, row * sequenceLength, fedTokens, r * sequenceLength, sequenceLength);
                fed[r * prefix] = spec.bos();
                System.arraycopy(decoded, row * length, fed, r * prefix + 1, t);
            }
            long[] next;
            try (NDManager step = manager.newSubManager()) {
                NDList out = block.forward(store, new NDList(step.create(fedTokens, new Shape(count, sequenceLength)),
                        step.create(fed, new Shape(count, prefix))), false);
                NDArray logits = out.singletonOrThrow();
                Shape shape = logits.getShape();
                if (shape.dimension() != 3 || shape.get(0) != count || shape.get(1) != prefix) {
                    throw new IllegalArgumentException("a seq2seq block must give batch x L x classes, found " + shape
                            + " for " + count + " rows and L = " + prefix);
                }
                next = logits.get(":, " + t + ", :").argMax(1).toLongArray();
            }
            int kept = 0;
            for (int r = 0; r < count; r++) {
                int symbol = Math.toIntExact(next[r]);
                decoded[open[r] * length + t] = symbol;
                if (symbol != spec.eos()) {
                    open[kept++] = open[r];
                }
            }
            count = kept;
        }
        return decoded;
    }
}
