package dev.sedge.api.task;

/**
 * How the per-position targets of a sequence task read: the shape of {@link TaskData#targets(int)}
 * and the conventions a model and an evaluator share. A task without it has one label per input
 * and head ({@link TaskData#labels(int)}).
 *
 * <p>Two layouts, a closed set:
 * <ul>
 *   <li>{@link Aligned}: one target per <em>input</em> position, target t is about input token t
 *       (a tagger: Dyck-1's depth after each token). {@code length() == sequenceLength}.</li>
 *   <li>{@link Decoded}: an output sequence of its own that a decoder emits (seq2seq: SCAN's
 *       actions), with a begin and an end class.</li>
 * </ul>
 *
 * <p>In both, a target is a class of its head, in [0, {@link Head#classes()}), or
 * {@link TaskData#IGNORE} (−1) at a position that has none (padding): a loss and an accuracy skip
 * IGNORE positions. Input padding is {@link #inputPad()}: the token that fills a short input, which
 * a bidirectional encoder masks out of attention (a key padding mask); a causal model needs no mask
 * for padding at the end, since no earlier position sees it.
 */
public sealed interface TargetSpec {

    /** The input token that pads {@code inputPad} when inputs are never padded. */
    int NO_PAD = -1;

    /** Target positions per input, T: the row length of {@link TaskData#targets(int)}. */
    int length();

    /** The input token that pads a short input, in [0, vocabularySize), or {@link #NO_PAD}. */
    int inputPad();

    /**
     * One target per input position: target t is the class of input position t; positions whose
     * input token is padding are {@link TaskData#IGNORE}. Accuracy is per position (over the
     * non-IGNORE positions); a row is correct when all its non-IGNORE positions are.
     *
     * @param length   T, equal to the task's sequence length; ≥ 1
     * @param inputPad the padding token of the inputs, or {@link #NO_PAD}
     */
    record Aligned(int length, int inputPad) implements TargetSpec {

        public Aligned {
            if (length < 1) {
                throw new IllegalArgumentException("target length must be >= 1, found " + length);
            }
            if (inputPad < NO_PAD) {
                throw new IllegalArgumentException("inputPad must be a token or NO_PAD (-1), found " + inputPad);
            }
        }
    }

    /**
     * An output sequence a decoder emits, of up to {@code length − 1} symbols and an end class.
     *
     * <p>Each row of targets is y_0 … y_{m−1}, {@code eos}, then IGNORE to {@code length}: m ≥ 0
     * symbols, exactly one {@code eos}, with no IGNORE before it; {@code bos} never occurs in a target.
     * The decoder's vocabulary is its head's classes: the symbols, {@code bos} and {@code eos}.
     *
     * <ul>
     *   <li><b>Teacher forcing</b>: the decoder reads {@code bos}, y_0 … y_{m−1} (the targets shifted
     *       right by one) and is scored at every non-IGNORE position, the end included. Decoder input
     *       positions past y_{m−1} may hold any class (e.g. {@code eos}): under the decoder's causal
     *       mask no scored position sees them.</li>
     *   <li><b>Greedy decoding</b>: start from {@code bos}, append the argmax class, stop after
     *       {@code eos} or after {@code length} symbols.</li>
     *   <li><b>Sequence accuracy</b>: the share of rows whose decoded output, up to and including its
     *       first {@code eos}, equals the target row up to and including its {@code eos}: every symbol
     *       right, in order, and the end in the right place. Token accuracy (per non-IGNORE position
     *       under teacher forcing) is a separate, weaker figure.</li>
     * </ul>
     *
     * @param length   T = the longest output plus its end class; ≥ 1
     * @param inputPad the padding token of the inputs (the encoder side), or {@link #NO_PAD}
     * @param bos      the begin class, fed to the decoder first; never a target
     * @param eos      the end class, the last non-IGNORE target of every row
     */
    record Decoded(int length, int inputPad, int bos, int eos) implements TargetSpec {

        public Decoded {
            if (length < 1) {
                throw new IllegalArgumentException("target length must be >= 1, found " + length);
            }
            if (inputPad < NO_PAD) {
                throw new IllegalArgumentException("inputPad must be a token or NO_PAD (-1), found " + inputPad);
            }
            if (bos < 0 || eos < 0 || bos == eos) {
                throw new IllegalArgumentException("bos and eos must be two different classes >= 0, found bos "
                        + bos + ", eos " + eos);
            }
        }

        /**
         * The decoder inputs under teacher forcing: per row {@code bos}, then targets 0 … T−2 shifted right by
         * one, an IGNORE target read as {@code eos} (the causal mask hides it from every scored position).
         *
         * @param targets n × T targets, row-major, as {@link TaskData#targets(int)}; not modified
         * @return a new n × T array, row-major
         */
        public int[] teacherForced(int[] targets) {
            if (targets.length % length != 0) {
                throw new IllegalArgumentException("expected n x " + length + " targets, found " + targets.length);
            }
            int[] inputs = new int[targets.length];
            for (int row = 0; row < targets.length / length; row++) {
                int at = row * length;
                inputs[at] = bos;
                for (int t = 1; t < length; t++) {
                    int previous = targets[at + t - 1];
                    inputs[at + t] = previous == TaskData.IGNORE ? eos : previous;
                }
            }
            return inputs;
        }
    }
}
