package dev.sedge.core.sweep;

/** Where a planned run stands when a sweep starts ({@link RunInspector}), and what the sweep does with it. */
public enum RunState {
    /** Its marker and its final checkpoint exist: skipped, its result.json read. */
    FINISHED,
    /**
     * It trained to its final checkpoint (whose parameter file sedge writes after every other file of the
     * run), but has no marker (the sweep stopped before writing it): its result is collected from its files
     * without training.
     */
    COLLECT,
    /** It has a checkpoint before its last step: continued with {@code train --resume}. */
    RESUME,
    /** Nothing of it exists: trained from scratch. */
    TRAIN,
    /** Something of it exists but it cannot be resumed (no complete checkpoint): deleted and trained again. */
    RESTART
}
