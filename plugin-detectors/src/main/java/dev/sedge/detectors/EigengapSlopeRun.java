package dev.sedge.detectors;

import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run of {@link EigengapSlopeDetector}. Confined to one thread. */
final class EigengapSlopeRun implements DetectorRun {

    private final EigengapSlopeDetector.Config config;
    private final Map<Long, Double> logRatioByStep = new HashMap<>();
    private final List<Double> late = new ArrayList<>();
    private final List<EdgeEvent> events = new ArrayList<>();
    private final StepOrder order = new StepOrder(EigengapSlopeDetector.NAME);
    private double maxSlope = Double.NEGATIVE_INFINITY;

    EigengapSlopeRun(EigengapSlopeDetector.Config config) {
        this.config = config;
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        order.accept(window, 3);
        long step = window.step();
        double ratio = ratio(window);
        double logRatio = Math.log(ratio);
        logRatioByStep.put(step, logRatio);
        if (step >= config.lateFrom() && step <= config.lateTo()) {
            late.add(ratio);
        }
        Double earlier = logRatioByStep.get(step - config.lag());
        if (earlier == null) {
            return List.of();
        }
        double slope = (logRatio - earlier) / config.lag();
        maxSlope = Math.max(maxSlope, slope);
        if (events.isEmpty() && step >= config.minStep() && slope > config.threshold()) {
            EdgeEvent event = new EdgeEvent(EigengapSlopeDetector.NAME, step, "lock-in",
                    "log eigengap ratio rising at " + String.format("%.4f", slope) + " per step (threshold "
                            + config.threshold() + ")",
                    Map.of("slope", slope, "ratio", ratio));
            events.add(event);
            return List.of(event);
        }
        return List.of();
    }

    /** r = λ2/λ3 or σ2/σ3, clipped from below; +∞ when the third value is 0 and the second is not. */
    private double ratio(SpectralWindow window) {
        double second = config.eigenvalues() ? window.lambda(2) : window.sigma(2);
        double third = config.eigenvalues() ? window.lambda(3) : window.sigma(3);
        double r = third > 0 ? second / third : (second > 0 ? Double.MAX_VALUE : 1.0);
        return Math.max(r, config.clip());
    }

    @Override
    public DetectorSummary finish() {
        order.finish();
        Map<String, Double> statistics = new LinkedHashMap<>();
        if (!late.isEmpty()) {
            statistics.put("late_ratio", Median.of(late));
        }
        if (maxSlope > Double.NEGATIVE_INFINITY) {
            statistics.put("max_slope", maxSlope);
        }
        if (!events.isEmpty()) {
            statistics.put("fire_step", (double) events.getFirst().step());
        }
        return new DetectorSummary(EigengapSlopeDetector.NAME, events, statistics);
    }
}
