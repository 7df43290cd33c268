package dev.sedge.core.sweep;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Trains one run of a sweep to its end. Implementations: {@link ProcessExecutor} (child processes of
 * the sedge launcher, several at a time) and {@link InProcessExecutor} (in this JVM, one at a time).
 * Thread-safe: {@link SweepRunner} calls {@link #execute} from up to {@link #parallelism} threads.
 */
public interface RunExecutor {

    /** What to do with a run. */
    enum Action {
        /** Train from step 0 into a run directory that does not exist yet. */
        TRAIN,
        /** Continue the run directory from its last complete checkpoint ({@code train --resume}). */
        RESUME
    }

    /**
     * Trains {@code run}; blocks until it ended.
     *
     * @param conditionFile the run's condition as a config file ({@code OUT/<condition>/condition.json}),
     *                      without the seed
     * @param log           where the run's output is appended; its folder exists
     * @return empty when the run trained to its last step, else why it did not
     */
    Optional<RunFailure> execute(PlannedRun run, Path conditionFile, Action action, Path log);

    /** How many runs may execute at once, ≥ 1. */
    int parallelism();

    /** One line for the user: how runs execute ({@code 2 child processes of /opt/sedge/bin/sedge, 1 thread each}). */
    String description();

    /** Stops every run in progress, as when the sweep is interrupted; they can be resumed later. */
    void stopAll();
}
