package dev.sedge.detectors;

import dev.sedge.api.detect.SpectralWindow;

/**
 * Enforces the {@link dev.sedge.api.detect.DetectorRun} call order for one run: windows in
 * strictly increasing step order, of a minimum width, never after {@code finish()}, and one
 * {@code finish()}. Confined to one thread.
 */
final class StepOrder {

    private final String detector;
    private long lastStep = Long.MIN_VALUE;
    private boolean finished;

    /** @param detector the detector's name, for messages */
    StepOrder(String detector) {
        this.detector = detector;
    }

    /**
     * Checks the next window.
     *
     * @param minWidth the fewest singular values the detector needs
     * @throws IllegalStateException    after finish, or for a step not greater than the last
     * @throws IllegalArgumentException for a window narrower than {@code minWidth}
     */
    void accept(SpectralWindow window, int minWidth) {
        if (finished) {
            throw new IllegalStateException(detector + ": accept() after finish()");
        }
        if (window.step() <= lastStep) {
            throw new IllegalStateException(detector + ": step " + window.step() + " after step " + lastStep
                    + "; windows must come in increasing step order");
        }
        if (window.width() < minWidth) {
            throw new IllegalArgumentException(detector + " needs windows of width W >= " + minWidth + ", found W = "
                    + window.width() + " at step " + window.step() + "; recompute the spectrum with a wider window");
        }
        lastStep = window.step();
    }

    /** @throws IllegalStateException if called twice */
    void finish() {
        if (finished) {
            throw new IllegalStateException(detector + ": finish() called twice");
        }
        finished = true;
    }
}
