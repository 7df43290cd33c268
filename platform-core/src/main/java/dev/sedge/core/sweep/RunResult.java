package dev.sedge.core.sweep;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.core.detect.AccuracyCrossings;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SequencedMap;

/**
 * What a sweep measured on one finished run: the content of its {@code result.json} marker. Only
 * facts about the run; its labels (condition, control) come from the plan.
 *
 * @param steps             the last step
 * @param finalTestAccuracy test accuracy at the last evaluation; empty if not recorded
 * @param crossings         t(θ) for θ = 0.5, 0.95, 0.99 (first evaluated step with test accuracy ≥ θ)
 * @param detectors         each evaluated detector's result, in the sweep's order; copied
 * @param level             the level metric ρ's trace ({@code train.level-every}); empty when not measured
 * @param execution         how this run got its result
 */
public record RunResult(long steps, OptionalDouble finalTestAccuracy, AccuracyCrossings crossings,
                        SequencedMap<String, DetectorResult> detectors, Optional<LevelTrace> level,
                        Execution execution) {

    /** How a run reached its result, when, and how long it took (the trained part only, when resumed). */
    public enum Mode {
        /** Trained from step 0. */
        TRAINED,
        /** Continued from a checkpoint. */
        RESUMED,
        /** Read from a run that had finished training. */
        COLLECTED;

        /** The lower-case name used in files. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param mode     how
     * @param started  when the sweep started this run
     * @param finished when its result was collected
     */
    public record Execution(Mode mode, Instant started, Instant finished) {
        public Execution {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(started, "started");
            Objects.requireNonNull(finished, "finished");
        }

        public Duration wallTime() {
            return Duration.between(started, finished);
        }
    }

    public RunResult {
        Objects.requireNonNull(finalTestAccuracy, "finalTestAccuracy");
        Objects.requireNonNull(crossings, "crossings");
        detectors = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(detectors));
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(execution, "execution");
    }

    /** Whether test accuracy reached {@code threshold} (one of {@link AccuracyCrossings#STANDARD}). */
    public boolean reached(double threshold) {
        return crossings.at(threshold).isPresent();
    }

    /**
     * Reads a finished run's metrics.csv and events.json.
     *
     * @param detectors the detectors whose summaries must be there
     * @throws DataFormatException if a file is missing or unreadable, or a detector has no summary
     */
    public static RunResult collect(PlannedRun run, List<String> detectors, Execution execution) {
        MetricsTable metrics = MetricsCsv.read(run.layout().metrics());
        List<DetectorSummary> summaries = EventsFile.read(run.layout().events());
        SequencedMap<String, DetectorResult> results = new LinkedHashMap<>();
        for (String name : detectors) {
            DetectorSummary summary = summaries.stream().filter(s -> s.detector().equals(name)).findFirst()
                    .orElseThrow(() -> new DataFormatException(run.layout().events() + " (run " + run.id()
                            + ") has no summary of detector '" + name + "'; found "
                            + summaries.stream().map(DetectorSummary::detector).toList()
                            + ". Was the run trained with it in 'detectors'?"));
            results.put(name, new DetectorResult(summary.events().isEmpty() ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(summary.events().getFirst().step()), summary.statistics()));
        }
        OptionalDouble finalAccuracy = metrics.rows() == 0 ? OptionalDouble.empty()
                : metrics.latest(AccuracyCrossings.TEST_ACCURACY, metrics.step(metrics.rows() - 1));
        return new RunResult(run.steps(), finalAccuracy, AccuracyCrossings.of(metrics, AccuracyCrossings.STANDARD),
                results, LevelTrace.of(metrics), execution);
    }
}
