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

/** One run of {@link BbpDetector}. Confined to one thread. */
final class BbpRun implements DetectorRun {

    private final BbpDetector.Config config;
    private final StepOrder order = new StepOrder(BbpDetector.NAME);
    private final List<EdgeEvent> events = new ArrayList<>();
    private int windows;
    private int vacuousWindows;
    private int previousCount = -1;
    private int maxCount;
    private int changes;
    private long separationStep = -1;
    private double lastThreshold = Double.NaN;
    private long lastDimension;

    BbpRun(BbpDetector.Config config) {
        this.config = config;
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        order.accept(window, 2);
        long p = dimension(window);
        double[] sigma = window.singularValues();
        double threshold = window.bbpThreshold(p);
        int count = 0;
        int nonZero = 0;
        for (double s : sigma) {
            count += s > threshold ? 1 : 0;
            nonZero += s > 0 ? 1 : 0;
        }
        windows++;
        if (count > 0 && count == nonZero) {
            vacuousWindows++;
        }
        maxCount = Math.max(maxCount, count);
        lastThreshold = threshold;
        lastDimension = p;
        int previous = previousCount;
        previousCount = count;
        EdgeEvent event = null;
        if (separationStep < 0 && count > 0) {
            separationStep = window.step();
            event = new EdgeEvent(BbpDetector.NAME, window.step(), "separation", String.format(Locale.ROOT,
                    "%d singular value(s) above the BBP threshold d_crit = %.4g (σ_1 = %.4g, p = %d)%s", count,
                    threshold, sigma[0], p, count == nonZero ? "; every one is above it (vacuous when p ≫ W)" : ""),
                    Map.of("count", (double) count, "d_crit", threshold, "sigma_1", sigma[0]));
        } else if (previous >= 0 && count != previous) {
            changes++;
            event = new EdgeEvent(BbpDetector.NAME, window.step(), "count-change", String.format(Locale.ROOT,
                    "singular values above the BBP threshold d_crit = %.4g went from %d to %d", threshold, previous,
                    count), Map.of("count", (double) count, "previous_count", (double) previous, "d_crit", threshold,
                    "sigma_1", sigma[0]));
        }
        if (event == null) {
            return List.of();
        }
        events.add(event);
        return List.of(event);
    }

    private long dimension(SpectralWindow window) {
        if (config.dimension() > 0) {
            return config.dimension();
        }
        OptionalDouble metric = window.metric(BbpDetector.DIMENSION_METRIC);
        double p = metric.orElse(Double.NaN);
        if (!(p >= 1) || p != Math.rint(p) || Double.isInfinite(p)) {
            throw new IllegalArgumentException(BbpDetector.NAME + " needs p, the length of each update, at step "
                    + window.step() + ": expected a positive integer window metric '" + BbpDetector.DIMENSION_METRIC
                    + "', found " + (metric.isPresent() ? p : "none") + ". sedge detect passes it; otherwise set "
                    + "detector." + BbpDetector.NAME + ".dimension=P");
        }
        return (long) p;
    }

    @Override
    public DetectorSummary finish() {
        order.finish();
        Map<String, Double> statistics = new LinkedHashMap<>();
        if (windows > 0) {
            statistics.put("final_count", (double) previousCount);
            statistics.put("final_d_crit", lastThreshold);
            statistics.put("max_count", (double) maxCount);
            statistics.put("changes", (double) changes);
            statistics.put("dimension", (double) lastDimension);
            statistics.put("vacuous", vacuousWindows == windows ? 1.0 : 0.0);
            statistics.put("vacuous_fraction", (double) vacuousWindows / windows);
        }
        if (separationStep >= 0) {
            statistics.put("separation_step", (double) separationStep);
        }
        if (!events.isEmpty()) {
            statistics.put("fire_step", (double) events.getFirst().step());
        }
        return new DetectorSummary(BbpDetector.NAME, events, statistics);
    }
}
