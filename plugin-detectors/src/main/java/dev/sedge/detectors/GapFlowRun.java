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

/** One run of {@link GapFlowDetector}. Confined to one thread. */
final class GapFlowRun implements DetectorRun {

    /** The classes, in the order of their {@code class_code}. */
    private static final List<String> CLASSES = List.of("functional", "mixed", "compression");

    private final GapFlowDetector.Config config;
    private final StepOrder order = new StepOrder(GapFlowDetector.NAME);
    private final List<Double> sharesBefore = new ArrayList<>();
    private final List<Double> sharesAfter = new ArrayList<>();
    private final List<Double> rotationsAfter = new ArrayList<>();
    private int withShare;
    private long transition = -1;
    private double metricAtTransition = Double.NaN;
    private EdgeEvent event;

    GapFlowRun(GapFlowDetector.Config config) {
        this.config = config;
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        order.accept(window, 2);
        OptionalDouble share = window.metric(SpectralWindow.EDGE_GRADIENT_SHARE);
        OptionalDouble rotation = window.metric(SpectralWindow.EDGE_ROTATION);
        if (share.isPresent()) {
            withShare++;
        }
        if (transition < 0) {
            OptionalDouble metric = window.metric(config.metric());
            if (metric.isEmpty() || !(metric.getAsDouble() >= config.threshold())) {
                share.ifPresent(sharesBefore::add);
                return List.of();
            }
            transition = window.step();
            metricAtTransition = metric.getAsDouble();
        }
        if (share.isEmpty() || sharesAfter.size() == config.span()) {
            return List.of();
        }
        sharesAfter.add(share.getAsDouble());
        rotation.ifPresent(r -> {
            if (!Double.isNaN(r)) {
                rotationsAfter.add(r);
            }
        });
        if (sharesAfter.size() < config.span()) {
            return List.of();
        }
        event = classify(window.step());
        return List.of(event);
    }

    /** The class from the first {@code span} windows with a share from t* on, the last of them at {@code step}. */
    private EdgeEvent classify(long step) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("transition_step", (double) transition);
        if (!sharesBefore.isEmpty()) {
            values.put("grad_share_before", sharesBefore.stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow());
        }
        double shareAt = sharesAfter.getFirst();
        double shareAfter = Median.of(sharesAfter);
        double rotationAfter = rotationsAfter.isEmpty() ? Double.NaN : Median.of(rotationsAfter);
        values.put("grad_share_at", shareAt);
        values.put("grad_share_after", shareAfter);
        if (!rotationsAfter.isEmpty()) {
            values.put("rotation_after_deg", rotationAfter);
        }
        values.put("metric_value", metricAtTransition);
        int code = shareAt >= config.functional() ? 0
                : shareAfter <= config.compression() && rotationAfter <= config.frozen() ? 2 : 1;
        values.put("class_code", (double) code);
        String kind = CLASSES.get(code);
        String before = sharesBefore.isEmpty() ? "unmeasured (no window ends before it)"
                : String.format(Locale.ROOT, "%.3g", values.get("grad_share_before"));
        return new EdgeEvent(GapFlowDetector.NAME, step, kind, String.format(Locale.ROOT,
                "%s: transition at step %d (%s >= %s); grad%% on v_1 before it %s, at it %.3g, median %.3g over the"
                        + " %d windows from it, in which v_1 turned a median %.3g deg per window", kind, transition,
                config.metric(), config.threshold(), before, shareAt, shareAfter, sharesAfter.size(), rotationAfter),
                values);
    }

    @Override
    public DetectorSummary finish() {
        order.finish();
        Map<String, Double> statistics = new LinkedHashMap<>();
        statistics.put("transitioned", transition >= 0 ? 1.0 : 0.0);
        statistics.put("windows_with_share", (double) withShare);
        if (transition >= 0) {
            statistics.put("transition_step", (double) transition);
            statistics.put("windows_after", (double) sharesAfter.size());
        }
        if (event != null) {
            statistics.putAll(event.values());
            statistics.put("fire_step", (double) event.step());
        }
        return new DetectorSummary(GapFlowDetector.NAME, event == null ? List.of() : List.of(event), statistics);
    }
}
