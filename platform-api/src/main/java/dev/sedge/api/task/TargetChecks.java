package dev.sedge.api.task;

import java.util.List;

/** The checks {@link TaskData} makes of a sequence task's targets, and their copy. */
final class TargetChecks {

    private TargetChecks() {
    }

    /**
     * Checks {@code targets} against the heads and spec (see {@link TaskData}'s sequence constructor).
     *
     * @param targets one n × T array per head; not modified
     * @return a deep copy
     * @throws IllegalArgumentException naming the head, input and position that break a rule
     */
    static int[][] checked(List<Head> heads, TargetSpec spec, int[][] targets, int n, int sequenceLength,
                           int vocabularySize) {
        if (heads.isEmpty() || targets.length != heads.size()) {
            throw new IllegalArgumentException("expected one target array per head (" + heads.size() + "), found "
                    + targets.length);
        }
        int length = spec.length();
        if (spec instanceof TargetSpec.Aligned && length != sequenceLength) {
            throw new IllegalArgumentException("aligned targets have one position per input token: target length "
                    + length + ", sequence length " + sequenceLength);
        }
        if (spec.inputPad() >= vocabularySize) {
            throw new IllegalArgumentException("input padding token " + spec.inputPad() + " outside vocabulary [0, "
                    + vocabularySize + ")");
        }
        int[][] copy = new int[targets.length][];
        for (int h = 0; h < targets.length; h++) {
            Head head = heads.get(h);
            if (targets[h].length != (long) n * length) {
                throw new IllegalArgumentException("head " + head.name() + ": expected " + n + " x " + length
                        + " targets, found " + targets[h].length);
            }
            if (spec instanceof TargetSpec.Decoded d && Math.max(d.bos(), d.eos()) >= head.classes()) {
                throw new IllegalArgumentException("head " + head.name() + ": bos " + d.bos() + " and eos " + d.eos()
                        + " must be classes in [0, " + head.classes() + ")");
            }
            for (int i = 0; i < n; i++) {
                checkRow(head, spec, targets[h], i, length);
            }
            copy[h] = targets[h].clone();
        }
        return copy;
    }

    private static void checkRow(Head head, TargetSpec spec, int[] targets, int input, int length) {
        int from = input * length;
        boolean ended = false;
        for (int t = 0; t < length; t++) {
            int y = targets[from + t];
            if (y != TaskData.IGNORE && (y < 0 || y >= head.classes())) {
                throw new IllegalArgumentException(where(head, input, t) + "target " + y + " outside [0, "
                        + head.classes() + ") and not IGNORE (" + TaskData.IGNORE + ")");
            }
            if (!(spec instanceof TargetSpec.Decoded d)) {
                continue;
            }
            if (y == d.bos()) {
                throw new IllegalArgumentException(where(head, input, t) + "the begin class " + d.bos()
                        + " is fed to the decoder, never a target");
            }
            if (ended && y != TaskData.IGNORE) {
                throw new IllegalArgumentException(where(head, input, t) + "target " + y + " after the end class "
                        + d.eos() + "; only IGNORE may follow it");
            }
            if (!ended && y == TaskData.IGNORE) {
                throw new IllegalArgumentException(where(head, input, t) + "IGNORE before the end class " + d.eos()
                        + "; a decoded row is its symbols, the end class, then IGNORE");
            }
            ended |= y == d.eos();
        }
        if (spec instanceof TargetSpec.Decoded d && !ended) {
            throw new IllegalArgumentException("head " + head.name() + ", input " + input + ": no end class "
                    + d.eos() + " within " + length + " positions");
        }
    }

    private static String where(Head head, int input, int position) {
        return "head " + head.name() + ", input " + input + ", position " + position + ": ";
    }
}
