package dev.sedge.api.model;

import java.util.List;

/**
 * What an architecture needs to know of a task.
 *
 * @param vocabularySize tokens are in [0, vocabularySize)
 * @param sequenceLength tokens per input
 * @param headClasses    classes per output head, in head order
 */
public record TaskShape(int vocabularySize, int sequenceLength, List<Integer> headClasses) {

    public TaskShape {
        if (vocabularySize < 1 || sequenceLength < 1) {
            throw new IllegalArgumentException("vocabulary and sequence length must be >= 1, found "
                    + vocabularySize + ", " + sequenceLength);
        }
        headClasses = List.copyOf(headClasses);
        if (headClasses.isEmpty()) {
            throw new IllegalArgumentException("a task has at least one head");
        }
    }
}
