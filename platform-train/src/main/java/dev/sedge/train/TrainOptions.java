package dev.sedge.train;

import dev.sedge.core.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a run is carried out, apart from the experiment itself: none of this changes a result.
 * Immutable; start from {@link #defaults()}.
 *
 * @param progress     where each step is reported (the command line's progress bar)
 * @param listeners    extra listeners, called after the built-in ones (metrics, monitor) and before
 *                     the checkpointer; copied
 * @param liveSpectrum whether the live spectral monitor runs (spectrum.csv, detectors, events.json);
 *                     off only to measure its cost — a run without it cannot be resumed with it
 * @param metricsEvery rewrite metrics.csv every this many evaluations (≥ 1); it is also written at
 *                     every checkpoint and at the end
 */
public record TrainOptions(Progress progress, List<TrainingListener> listeners, boolean liveSpectrum,
                           int metricsEvery) {

    public TrainOptions {
        Objects.requireNonNull(progress, "progress");
        listeners = List.copyOf(listeners);
        if (metricsEvery < 1) {
            throw new IllegalArgumentException("metricsEvery must be >= 1, found " + metricsEvery);
        }
    }

    /** No progress report, no extra listener, the live monitor on, metrics.csv every 10 evaluations. */
    public static TrainOptions defaults() {
        return new TrainOptions(Progress.NONE, List.of(), true, 10);
    }

    public TrainOptions withProgress(Progress newProgress) {
        return new TrainOptions(newProgress, listeners, liveSpectrum, metricsEvery);
    }

    /** These options with {@code listener} added after the extra listeners already given. */
    public TrainOptions withListener(TrainingListener listener) {
        List<TrainingListener> more = new ArrayList<>(listeners);
        more.add(Objects.requireNonNull(listener, "listener"));
        return new TrainOptions(progress, more, liveSpectrum, metricsEvery);
    }

    public TrainOptions withLiveSpectrum(boolean on) {
        return new TrainOptions(progress, listeners, on, metricsEvery);
    }

    public TrainOptions withMetricsEvery(int evaluations) {
        return new TrainOptions(progress, listeners, liveSpectrum, evaluations);
    }
}
