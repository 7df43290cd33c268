package dev.sedge.core.sweep;

import java.util.Objects;
import java.util.Optional;

/**
 * One run of a sweep with what came of it: exactly one of {@code result} and {@code failure}.
 *
 * @param run     the planned run
 * @param result  its measurements, when it finished
 * @param failure why it did not
 */
public record SweepRow(PlannedRun run, Optional<RunResult> result, Optional<RunFailure> failure) {

    public SweepRow {
        Objects.requireNonNull(run, "run");
        if (result.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("run " + run.id() + " needs exactly one of a result and a failure");
        }
    }

    public static SweepRow of(PlannedRun run, RunResult result) {
        return new SweepRow(run, Optional.of(result), Optional.empty());
    }

    public static SweepRow of(PlannedRun run, RunFailure failure) {
        return new SweepRow(run, Optional.empty(), Optional.of(failure));
    }
}
