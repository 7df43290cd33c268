package dev.sedge.core.sweep;

import java.util.Map;
import java.util.Optional;

/**
 * Hears how a sweep progresses (the command line prints it on stderr). Called from the sweep's
 * worker threads, never two calls at once; implementations must be quick. Every method does nothing
 * by default.
 */
public interface SweepListener {

    /** Does nothing. */
    SweepListener NONE = new SweepListener() { };

    /**
     * Before any run starts.
     *
     * @param states   how many runs are in each state (every state present, possibly 0)
     * @param executor how runs execute ({@link RunExecutor#description})
     */
    default void started(SweepPlan plan, Map<RunState, Integer> states, String executor) {
    }

    /** A run starts training, resuming or being collected ({@code state} says which). */
    default void runStarted(PlannedRun run, RunState state) {
    }

    /** A run ended: exactly one of {@code result} and {@code failure} is present. */
    default void runFinished(PlannedRun run, Optional<RunResult> result, Optional<RunFailure> failure,
                             SweepProgress progress) {
    }
}
