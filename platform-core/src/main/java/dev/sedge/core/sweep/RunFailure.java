package dev.sedge.core.sweep;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A run of a sweep that did not finish. The sweep goes on with the others.
 *
 * @param run       the run's id ({@code x2/seed-3})
 * @param reason    why, in one line (the child's last {@code sedge:} message, or the exception's)
 * @param log       the file holding the run's whole output
 * @param exitCode  the child process's exit code, when it ran as one
 * @param exception what was thrown, when it ran in-process or the sweep itself failed on it
 */
public record RunFailure(String run, String reason, Path log, OptionalInt exitCode,
                         Optional<RuntimeException> exception) {

    public RunFailure {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(exception, "exception");
    }

    /** This failure with its log moved to {@code newLog}. */
    RunFailure withLog(Path newLog) {
        return new RunFailure(run, reason, newLog, exitCode, exception);
    }

    /** A failure of the sweep's own work on a run (collecting its result, moving its log). */
    static RunFailure thrown(String run, Path log, RuntimeException e) {
        return new RunFailure(run, String.valueOf(e.getMessage()), log, OptionalInt.empty(), Optional.of(e));
    }
}
