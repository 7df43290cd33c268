package dev.sedge.train;

/**
 * How a run ended.
 *
 * @param lastStep the last step whose update was applied (0 if none)
 * @param failure  nullable: what stopped the run, or {@code null} if every step was done
 */
public record RunEnd(long lastStep, RuntimeException failure) {

    /** Whether every step was done. */
    public boolean completed() {
        return failure == null;
    }
}
