package dev.sedge.core.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Trains the runs of a sweep to their end. Implementations: {@link ProcessExecutor} (child processes of
 * the sedge launcher, several at a time), {@code InProcessExecutor} (in this JVM, one at a time) and
 * {@link SlurmExecutor} (one Slurm job array for all of them).
 *
 * <p>{@link SweepRunner} hands over every run to train at once ({@link #executeAll}), so that an
 * executor which submits a batch to a scheduler sees the batch; executors that run one run at a time
 * implement {@link #execute} and inherit {@link #executeAll}, which runs up to {@link #parallelism}
 * of them at once on worker threads. Thread-safe: {@link #execute} may be called from several threads.
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
     * One run to execute.
     *
     * @param run           the run
     * @param conditionFile its condition as a config file ({@code OUT/<condition>/condition.json}), without the seed
     * @param action        train or resume
     * @param log           where the run's output is appended; its folder exists
     */
    record Job(PlannedRun run, Path conditionFile, Action action, Path log) {
        public Job {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(conditionFile, "conditionFile");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(log, "log");
        }
    }

    /** Told when each job starts and ends; called from any thread, for one job at a time or several. */
    interface Progress {
        /** {@code job} started (or, for a scheduler, was submitted). */
        void started(Job job);

        /** {@code job} ended: empty when it trained to its last step, else why it did not. */
        void ended(Job job, Optional<RunFailure> failure);
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

    /**
     * Executes every job, telling {@code progress} as each starts and ends; returns when all ended. The
     * default runs up to {@link #parallelism} jobs at once through {@link #execute}.
     *
     * @param jobs not modified
     * @throws InterruptedException if interrupted while waiting; the jobs in progress are then stopped
     */
    default void executeAll(List<Job> jobs, Progress progress) throws InterruptedException {
        RunPool.execute(this, jobs, progress);
    }

    /** How many runs may execute at once, ≥ 1 (for the estimate of the time left). */
    int parallelism();

    /** One line for the user: how runs execute ({@code 2 child processes of /opt/sedge/bin/sedge, 1 thread each}). */
    String description();

    /** Stops every run in progress, as when the sweep is interrupted; they can be resumed later. */
    void stopAll();
}
