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
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks every {@link EdgeDetector} passes. Failures are {@link AssertionError}s. */
public final class DetectorContract {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9_]*");

    private DetectorContract() {
    }

    /**
     * Checks the plugin contract and the run protocol on {@code series}: every event returned by
     * {@code accept} is in the summary, in step order, under the detector's name; two runs over
     * the same series agree; statistics and event values have snake_case names; a step that does not increase, and accepting after finish, are
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
            event.values().keySet().forEach(key -> requireSnakeCase(name, "event value", key));
        }
        summary.statistics().keySet().forEach(key -> requireSnakeCase(name, "statistic", key));
        DetectorRun again = detector.open(config);
        series.forEach(again::accept);
        require(summary.equals(again.finish()), name + ": two runs over the same series disagree");
        expectIllegalState(() -> run.accept(series.getLast()), name + ": accept() after finish() was allowed");
        DetectorRun backwards = detector.open(config);
        backwards.accept(series.get(1));
        expectIllegalState(() -> backwards.accept(series.get(0)), name + ": a decreasing step was accepted");
        return summary;
    }

    /** Names in every file sedge writes are snake_case (docs/architecture.md, "Names"). */
    private static void requireSnakeCase(String detector, String what, String key) {
        require(SNAKE_CASE.matcher(key).matches(), detector + ": " + what + " '" + key
                + "' is not snake_case (lower-case letters, digits and '_', starting with a letter): name it '"
                + key.replace('-', '_').toLowerCase(Locale.ROOT) + "'");
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
