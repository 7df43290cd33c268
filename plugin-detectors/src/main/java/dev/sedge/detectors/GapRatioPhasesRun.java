package dev.sedge.detectors;

import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One run of {@link GapRatioPhasesDetector}. Confined to one thread. */
final class GapRatioPhasesRun implements DetectorRun {

    /** The phase after the last transition; the ordinal is the {@code phase} statistic. */
    private enum Phase { NONE, RISING, PLATEAU, COLLAPSED }

    private final GapRatioPhasesDetector.Config config;
    private final StepOrder order = new StepOrder(GapRatioPhasesDetector.NAME);
    private final List<EdgeEvent> events = new ArrayList<>();
    /** The last {@code smooth} values of ln R. */
    private final Deque<Double> recentLogs = new ArrayDeque<>();
    private double recentSum;
    /** The last {@code lag} + 1 smoothed values ȳ, oldest first. */
    private final Deque<Double> smoothed = new ArrayDeque<>();
    private final Map<String, Double> firsts = new LinkedHashMap<>();
    private Phase phase = Phase.NONE;
    private int riseRun;
    private long riseOnset;
    private int plateauRun;
    private long plateauOnset;
    /** The highest smoothed ratio since the last rise. */
    private double level;
    private double peakRatio = Double.NaN;
    private long peakStep;
    private double finalRatio = Double.NaN;
    private int skipped;

    GapRatioPhasesRun(GapRatioPhasesDetector.Config config) {
        this.config = config;
    }

    @Override
    public List<EdgeEvent> accept(SpectralWindow window) {
        order.accept(window, 2);
        Optional<EdgePosition> edge = EdgePosition.of(window, config.weighted());
        if (edge.isEmpty()) {
            skipped++;
            return List.of();
        }
        double ratio = edge.get().ratio();
        finalRatio = ratio;
        if (Double.isNaN(peakRatio) || ratio > peakRatio) {
            peakRatio = ratio;
            peakStep = window.step();
        }
        double log = Math.log(ratio);
        recentLogs.addLast(log);
        recentSum += log;
        if (recentLogs.size() > config.smooth()) {
            recentSum -= recentLogs.removeFirst();
        }
        if (recentLogs.size() < config.smooth()) {
            return List.of();
        }
        double mean = recentSum / config.smooth();
        smoothed.addLast(mean);
        if (smoothed.size() > config.lag() + 1) {
            smoothed.removeFirst();
        }
        if (smoothed.size() < config.lag() + 1) {
            return List.of();
        }
        double slope = (mean - smoothed.getFirst()) / config.lag();
        Optional<EdgeEvent> event = transition(window.step(), edge.get(), Math.exp(mean), slope);
        event.ifPresent(events::add);
        return event.map(List::of).orElse(List.of());
    }

    private Optional<EdgeEvent> transition(long step, EdgePosition edge, double smoothedRatio, double slope) {
        switch (phase) {
            case NONE, COLLAPSED -> {
                riseRun = slope > config.riseSlope() ? riseRun + 1 : 0;
                if (riseRun == 1) {
                    riseOnset = step;
                }
                if (riseRun >= config.riseWindows()) {
                    phase = Phase.RISING;
                    level = smoothedRatio;
                    plateauRun = 0;
                    return Optional.of(event(step, "rise", edge, smoothedRatio, slope, String.format(Locale.ROOT,
                            "the edge gap ratio R_%d is rising at %.4f ln R per window since step %d", edge.kstar(),
                            slope, riseOnset), Map.of("onset_step", (double) riseOnset)));
                }
            }
            case RISING, PLATEAU -> {
                level = Math.max(level, smoothedRatio);
                if (smoothedRatio <= level / config.collapseFactor()) {
                    boolean afterPlateau = phase == Phase.PLATEAU;
                    phase = Phase.COLLAPSED;
                    riseRun = 0;
                    return Optional.of(event(step, "collapse", edge, smoothedRatio, slope, String.format(Locale.ROOT,
                            "the smoothed edge gap ratio fell %.3gx, from %.4g to %.4g%s", level / smoothedRatio,
                            level, smoothedRatio, afterPlateau ? " after a plateau" : " without a plateau"),
                            Map.of("level", level, "drop", level / smoothedRatio)));
                }
                if (phase == Phase.RISING) {
                    plateauRun = Math.abs(slope) < config.plateauSlope() ? plateauRun + 1 : 0;
                    if (plateauRun == 1) {
                        plateauOnset = step;
                    }
                    if (plateauRun >= config.plateauWindows()) {
                        phase = Phase.PLATEAU;
                        firsts.putIfAbsent("plateau_level", smoothedRatio);
                        return Optional.of(event(step, "plateau", edge, smoothedRatio, slope,
                                String.format(Locale.ROOT, "the smoothed edge gap ratio has held at %.4g since step %d",
                                        smoothedRatio, plateauOnset), Map.of("onset_step", (double) plateauOnset)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private EdgeEvent event(long step, String kind, EdgePosition edge, double smoothedRatio, double slope,
                            String message, Map<String, Double> extra) {
        firsts.putIfAbsent(kind + "_step", (double) step);
        Map<String, Double> values = new LinkedHashMap<>(extra);
        values.put("ratio", edge.ratio());
        values.put("smoothed_ratio", smoothedRatio);
        values.put("slope", slope);
        values.put("kstar", (double) edge.kstar());
        if (kind.equals("collapse")) {
            firsts.putIfAbsent("collapse_drop", extra.get("drop"));
        }
        return new EdgeEvent(GapRatioPhasesDetector.NAME, step, kind, message, values);
    }

    @Override
    public DetectorSummary finish() {
        order.finish();
        Map<String, Double> statistics = new LinkedHashMap<>();
        if (!Double.isNaN(peakRatio)) {
            statistics.put("peak_ratio", peakRatio);
            statistics.put("peak_step", (double) peakStep);
            statistics.put("final_ratio", finalRatio);
        }
        statistics.putAll(firsts);
        statistics.put("transitions", (double) events.size());
        statistics.put("phase", (double) phase.ordinal());
        statistics.put("skipped_windows", (double) skipped);
        if (!events.isEmpty()) {
            statistics.put("fire_step", (double) events.getFirst().step());
        }
        return new DetectorSummary(GapRatioPhasesDetector.NAME, events, statistics);
    }
}
