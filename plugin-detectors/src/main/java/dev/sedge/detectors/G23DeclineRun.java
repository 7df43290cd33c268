package dev.sedge.detectors;

import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** One run of {@link G23DeclineDetector}. Confined to one thread. */
final class G23DeclineRun implements DetectorRun {

    private final G23DeclineDetector.Config config;
    private final StepOrder order = new StepOrder(G23DeclineDetector.NAME);
    private final List<EdgeEvent> events = new ArrayList<>();
    /** Max g23 over windows before t_g (or over all so far, while t_g is not reached). */
    private double peakBefore = Double.NaN;
    private long peakStep;
    private double maxG23 = Double.NaN;
    private int withoutMetric;
    private long grokkingStep = -1;
    private boolean grokked;
    private double g23AtGrokking = Double.NaN;
    private double decline = Double.NaN;

    G23DeclineRun(G23DeclineDetector.Config config) {
        this.config = config;
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        order.accept(window, 3);
        double g23 = window.g23();
        maxG23 = Double.isNaN(maxG23) ? g23 : Math.max(maxG23, g23);
        if (grokked) {
            return List.of();
        }
        OptionalDouble metric = window.metric(config.metric());
        if (metric.isEmpty() || Double.isNaN(metric.getAsDouble())) {
            withoutMetric++;
        }
        if (metric.isEmpty() || !(metric.getAsDouble() >= config.threshold())) {
            if (Double.isNaN(peakBefore) || g23 > peakBefore) {
                peakBefore = g23;
                peakStep = window.step();
            }
            return List.of();
        }
        grokked = true;
        grokkingStep = window.step();
        g23AtGrokking = g23;
        if (Double.isNaN(peakBefore)) {
            return List.of(); // t_g is the first window: nothing before it to decline from
        }
        decline = g23 > 0 ? peakBefore / g23 : (peakBefore > 0 ? Double.POSITIVE_INFINITY : 1.0);
        if (!(decline > config.minDecline())) {
            return List.of();
        }
        EdgeEvent event = new EdgeEvent(G23DeclineDetector.NAME, grokkingStep, "g23-decline",
                String.format(Locale.ROOT, "g23 = λ2 − λ3 fell %.3gx from its peak %.4g at step %d to %.4g at the "
                        + "grokking step (%s >= %s; threshold %sx)", decline, peakBefore, peakStep, g23,
                        config.metric(), config.threshold(), config.minDecline()),
                Map.of("decline", decline, "peak_g23", peakBefore, "peak_step", (double) peakStep,
                        "g23", g23, "metric_value", metric.getAsDouble()));
        events.add(event);
        return List.of(event);
    }

    @Override
    public DetectorSummary finish() {
        order.finish();
        Map<String, Double> statistics = new LinkedHashMap<>();
        statistics.put("grokked", grokked ? 1.0 : 0.0);
        statistics.put("windows_without_metric", (double) withoutMetric);
        if (!Double.isNaN(maxG23)) {
            statistics.put("max_g23", maxG23);
        }
        if (grokked) {
            statistics.put("grokking_step", (double) grokkingStep);
            statistics.put("g23_at_grokking", g23AtGrokking);
            if (!Double.isNaN(decline)) {
                statistics.put("decline", decline);
                statistics.put("peak_g23", peakBefore);
                statistics.put("peak_step", (double) peakStep);
            }
        }
        if (!events.isEmpty()) {
            statistics.put("fire_step", (double) events.getFirst().step());
        }
        return new DetectorSummary(G23DeclineDetector.NAME, events, statistics);
    }
}
