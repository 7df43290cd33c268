package dev.sedge.core.sweep;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a sweep got.
 *
 * @param done   runs with a result or a failure, those finished before this sweep started included
 * @param total  runs in the sweep
 * @param failed runs that failed in this sweep
 * @param eta    the time left at the pace of the runs executed so far (wall time per run, all jobs
 *               together); empty before the first one ended
 */
public record SweepProgress(int done, int total, int failed, Optional<Duration> eta) {

    public SweepProgress {
        Objects.requireNonNull(eta, "eta");
    }
}
