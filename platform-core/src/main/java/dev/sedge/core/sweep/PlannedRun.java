package dev.sedge.core.sweep;

import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.run.RunLayout;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One run of a planned sweep, its configuration checked.
 *
 * @param condition  its condition
 * @param seed       its seed
 * @param directory  its run directory, {@code OUT/<condition>/seed-<n>}
 * @param experiment its resolved configuration (what its run.json must record)
 */
public record PlannedRun(Condition condition, long seed, Path directory, Experiment experiment) {

    /** The marker of a finished run, inside its run directory. */
    public static final String RESULT_FILE = "result.json";
    /** The run's output (the child's stdout and stderr), inside its run directory. */
    public static final String LOG_FILE = "train.log";

    public PlannedRun {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(experiment, "experiment");
    }

    /** {@code <condition>/seed-<n>}: how the run is named in messages and results. */
    public String id() {
        return condition.slug() + "/" + folderName(seed);
    }

    /** The last step, where its final checkpoint is. */
    public long steps() {
        return experiment.train().steps();
    }

    public RunLayout layout() {
        return new RunLayout(directory);
    }

    /** {@code result.json} in the run directory. */
    public Path resultFile() {
        return directory.resolve(RESULT_FILE);
    }

    /** {@code train.log} in the run directory. */
    public Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /**
     * Where the output of a run that starts from scratch goes until its run directory exists:
     * {@code OUT/<condition>/.seed-<n>.log}, appended to {@link #logFile} when the run ends.
     */
    public Path pendingLogFile() {
        return pendingLogFile(directory);
    }

    /** {@link #pendingLogFile()} of the run directory {@code directory}. */
    static Path pendingLogFile(Path directory) {
        return directory.resolveSibling("." + directory.getFileName() + ".log");
    }

    static String folderName(long seed) {
        return "seed-" + seed;
    }
}
