package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayList;
import java.util.List;

/** The checks every {@link EdgeDetector} passes. Failures are {@link AssertionError}s. */
public final class DetectorContract {

    private DetectorContract() {
    }

    /**
     * Checks the plugin contract and the run protocol on {@code series}: every event returned by
     * {@code accept} is in the summary, in step order, under the detector's name; two runs over
     * the same series agree; a step that does not increase, and accepting after finish, are
     * refused with {@link IllegalStateException}.
     *
     * @param series at least two windows in increasing step order
     * @return the summary of the first run
     */
    public static DetectorSummary check(EdgeDetector detector, PluginConfig config, List<SpectralWindow> series) {
        PluginContract.check(detector);
        String name = detector.name();
        DetectorRun run = detector.open(config);
        List<EdgeEvent> seen = new ArrayList<>();
        for (SpectralWindow window : series) {
            seen.addAll(run.accept(window));
        }
        DetectorSummary summary = run.finish();
        require(name.equals(summary.detector()), name + ": summary names detector '" + summary.detector() + "'");
        require(seen.equals(summary.events()), name + ": the summary's events differ from those accept() returned");
        for (EdgeEvent event : seen) {
            require(name.equals(event.detector()), name + ": event names detector '" + event.detector() + "'");
        }
        DetectorRun again = detector.open(config);
        series.forEach(again::accept);
        require(summary.equals(again.finish()), name + ": two runs over the same series disagree");
        expectIllegalState(() -> run.accept(series.getLast()), name + ": accept() after finish() was allowed");
        DetectorRun backwards = detector.open(config);
        backwards.accept(series.get(1));
        expectIllegalState(() -> backwards.accept(series.get(0)), name + ": a decreasing step was accepted");
        return summary;
    }

    private static void expectIllegalState(Runnable action, String failure) {
        try {
            action.run();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError(failure);
    }
}
