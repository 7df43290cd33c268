package org.example.cubes;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fires once, at the first window whose top gap σ1/σ2 exceeds a threshold. */
public final class GapThresholdDetector implements EdgeDetector {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "fires when the top singular-value gap sigma1/sigma2 first exceeds a threshold",
            ConfigKey.ofDouble("threshold", 10, "the gap sigma1/sigma2 that fires"));

    @Override
    public String name() {
        return "gap-threshold";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public DetectorRun open(PluginConfig config) {
        double threshold = config.doubleValue("threshold");
        return new DetectorRun() {
            private final List<EdgeEvent> events = new ArrayList<>();
            private long last = Long.MIN_VALUE;
            private boolean finished;

            @Override
            public List<EdgeEvent> accept(SpectralWindow window) {
                if (finished || window.step() <= last) {
                    throw new IllegalStateException("gap-threshold: windows must come in increasing step order, "
                            + "before finish()");
                }
                last = window.step();
                double gap = window.sigma(2) > 0 ? window.sigma(1) / window.sigma(2) : Double.MAX_VALUE;
                if (events.isEmpty() && gap > threshold) {
                    EdgeEvent event = new EdgeEvent(name(), window.step(), "gap-open",
                            "sigma1/sigma2 = " + gap + " exceeds " + threshold, Map.of("gap", gap));
                    events.add(event);
                    return List.of(event);
                }
                return List.of();
            }

            @Override
            public DetectorSummary finish() {
                if (finished) {
                    throw new IllegalStateException("gap-threshold: finish() called twice");
                }
                finished = true;
                return new DetectorSummary(name(), events, Map.of());
            }
        };
    }
}
