package dev.sedge.api.model;

import dev.sedge.api.task.Head;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an architecture needs to know of a task: its inputs, its heads, and whether the targets are one
 * label per input or one per position.
 *
 * <p>A <b>label task</b> ({@code targetSpec} empty) wants one output per input and head, batch × C_h. A
 * <b>sequence task</b> ({@code targetSpec} present) wants what the spec says: for a
 * {@link TargetSpec.Aligned} spec, one output per input position and head, batch × T × C_h with
 * T = {@code sequenceLength}; a {@link TargetSpec.Decoded} spec needs a decoder. An architecture refuses
 * a shape it cannot serve with a {@link dev.sedge.api.ConfigException}.
 *
 * @param vocabularySize tokens are in [0, vocabularySize)
 * @param sequenceLength tokens per input
 * @param headClasses    classes per output head, in head order
 * @param targetSpec     how the per-position targets read, or empty for one label per input and head;
 *                       an aligned spec's length is {@code sequenceLength}
 */
public record TaskShape(int vocabularySize, int sequenceLength, List<Integer> headClasses,
                        Optional<TargetSpec> targetSpec) {

    public TaskShape {
        if (vocabularySize < 1 || sequenceLength < 1) {
            throw new IllegalArgumentException("vocabulary and sequence length must be >= 1, found "
                    + vocabularySize + ", " + sequenceLength);
        }
        headClasses = List.copyOf(headClasses);
        if (headClasses.isEmpty()) {
            throw new IllegalArgumentException("a task has at least one head");
        }
        Objects.requireNonNull(targetSpec, "targetSpec");
        if (targetSpec.orElse(null) instanceof TargetSpec.Aligned aligned && aligned.length() != sequenceLength) {
            throw new IllegalArgumentException("aligned targets have one position per input token: length "
                    + aligned.length() + " for sequence length " + sequenceLength);
        }
    }

    /** A label task's shape: one label per input and head. */
    public TaskShape(int vocabularySize, int sequenceLength, List<Integer> headClasses) {
        this(vocabularySize, sequenceLength, headClasses, Optional.empty());
    }

    /** The shape of {@code data}'s task, its target spec included. */
    public static TaskShape of(TaskData data) {
        return new TaskShape(data.vocabularySize(), data.sequenceLength(),
                data.heads().stream().map(Head::classes).toList(), data.targetSpec());
    }

    /**
     * The ints per input a {@link ModelFunction} reads: the {@code sequenceLength} tokens, and for a seq2seq
     * task ({@link TargetSpec.Decoded}) the T decoder inputs under teacher forcing after them, as
     * {@link dev.sedge.api.task.TaskData#modelInputs} lays them out.
     */
    public int inputWidth() {
        return sequenceLength + (targetSpec.orElse(null) instanceof TargetSpec.Decoded decoded ? decoded.length() : 0);
    }

    /** Whether the targets are per position (a sequence task) rather than one label per input. */
    public boolean perPosition() {
        return targetSpec.isPresent();
    }
}
