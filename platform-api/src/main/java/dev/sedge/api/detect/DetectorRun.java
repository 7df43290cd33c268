package dev.sedge.api.detect;

/**
 * One detector run over one series. Confined to one thread.
 *
 * <p>Call order: {@link #accept} for each window in increasing step order, then {@link #finish}
 * once. Accepting after finish, or a step not greater than the last, is an
 * {@link IllegalStateException}.
 */
public interface DetectorRun {

    /**
     * Consumes the next window.
     *
     * @return events fired at this window (usually none); the host records them as they come
     */
    java.util.List<EdgeEvent> accept(SpectralWindow window);

    /** Ends the run: every event fired, and the statistics of the whole series. */
    DetectorSummary finish();
}
