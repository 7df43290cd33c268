package dev.sedge.train;

import dev.sedge.core.repulsion.LevelTrace;
import java.util.Optional;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.run.MetricsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * What a completed run produced.
 *
 * @param runDirectory the run directory
 * @param steps        the last step ({@code train.steps})
 * @param resumedFrom  the checkpoint step the run resumed from, or −1 for a fresh run
 * @param finalMetrics the last evaluation's metrics, in column order (at the last step)
 * @param grokking     test-accuracy threshold (0.5, 0.95, 0.99) to the first evaluated step at which
 *                     test accuracy reached it; thresholds never reached are absent; ascending
 * @param windows      spectral windows recorded (0 without the live monitor)
 * @param detectors    each live detector's summary: events and statistics
 * @param level        the level metric's trace, when {@code train.level-every} &gt; 0
 * @param wallTime     time spent in this call (a resumed run: only the resumed part)
 */
public record TrainingResult(Path runDirectory, long steps, long resumedFrom, SequencedMap<String, Double> finalMetrics,
                             SequencedMap<Double, Long> grokking, int windows, List<DetectorSummary> detectors,
                             Optional<LevelTrace> level, Duration wallTime) {

    /** The test-accuracy thresholds of {@link #grokking}, as the papers use them (docs/science.md, "Detectors"). */
    public static final List<Double> THRESHOLDS = List.of(0.5, 0.95, 0.99);

    public TrainingResult {
        Objects.requireNonNull(runDirectory, "runDirectory");
        finalMetrics = Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>(finalMetrics));
        grokking = Collections.unmodifiableSequencedMap(new TreeMap<>(grokking));
        detectors = List.copyOf(detectors);
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(wallTime, "wallTime");
    }

    /** Every detector's events, in detector then step order. */
    public List<EdgeEvent> events() {
        return detectors.stream().flatMap(d -> d.events().stream()).toList();
    }

    /** Threshold → first step with test accuracy at or above it, from a metrics table. */
    static SequencedMap<Double, Long> grokking(MetricsTable metrics) {
        SequencedMap<Double, Long> out = new TreeMap<>();
        double[] accuracy = metrics.column("test_acc");
        for (double threshold : THRESHOLDS) {
            for (int i = 0; i < accuracy.length; i++) {
                if (accuracy[i] >= threshold) {
                    out.put(threshold, metrics.step(i));
                    break;
                }
            }
        }
        return out;
    }

    /** The last row of a metrics table, column to value; empty for an empty table. */
    static SequencedMap<String, Double> lastRow(MetricsTable metrics) {
        SequencedMap<String, Double> out = new java.util.LinkedHashMap<>();
        if (metrics.rows() > 0) {
            for (String column : metrics.columns()) {
                out.put(column, metrics.value(metrics.rows() - 1, column));
            }
        }
        return out;
    }
}
