package dev.sedge.core.detect;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.run.EventsFile;
import java.util.List;

/**
 * One detector's run with every call made under {@link PluginCall}'s policy, so that a detector
 * that throws fails with the same exit code and message from {@code sedge train} (live),
 * {@code sedge detect} and a sweep's runs: {@code detector 'bbp' at the window of step 120 failed: …}.
 * It keeps the configuration it was opened with, which its entry in events.json records.
 *
 * @param detector the detector's name
 * @param run      its run
 * @param config   its configuration, every key with its value
 */
public record GuardedRun(String detector, DetectorRun run, PluginConfig config) implements DetectorRun {

    /**
     * Opens a run of {@code detector} with {@code config}.
     *
     * @throws dev.sedge.api.ConfigException if the detector refuses a value
     * @throws dev.sedge.api.PluginException if it fails otherwise
     */
    public static GuardedRun open(EdgeDetector detector, PluginConfig config) {
        String name = detector.name();
        return new GuardedRun(name, PluginCall.create("detector '" + name + "' (keys " + config.scope()
                + ".*; sedge plugins show " + name + " lists them)", () -> detector.open(config)), config);
    }

    /** {@code summary}, one of this run's, as the events.json entry {@code tool} writes. */
    public EventsFile.Entry entry(DetectorSummary summary, String tool) {
        return EventsFile.Entry.of(summary, config.values(), tool);
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        return PluginCall.run("detector '" + detector + "' at the window of step " + window.step(),
                () -> run.accept(window));
    }

    @Override
    public DetectorSummary finish() {
        return PluginCall.run("detector '" + detector + "' finishing", run::finish);
    }
}
