package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.core.detect.AccuracyCrossings;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.VersionedJson;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes a run's {@code result.json}, the marker of a finished run, written atomically
 * after the run succeeded and its result was read. Format version 2:
 *
 * <pre>{@code
 * {"format_version": 2, "steps": 400, "final_test_acc": 1.0,
 *  "crossings": {"0.5": 102, "0.95": 131, "0.99": 139},          // null: never reached
 *  "detectors": {"eigengap-slope": {"fire_step": 174,            // null: never fired
 *                                   "statistics": {"late_ratio": 301.5, "max_slope": 0.05}}},
 *  "level": {"fire_step": 15, "max": 0.118, "first": 0, "every": 5},  // only when rho was measured
 *  "execution": {"mode": "trained", "started": "2026-…Z", "finished": "2026-…Z", "wall_seconds": 75.2}}
 * }</pre>
 *
 * Version 1 wrote {@code formatVersion}, and the statistics under the detectors' kebab-case names
 * ({@code late-ratio}); they read back in snake_case.
 */
public final class ResultFile {

    /** The format this build writes. */
    public static final int FORMAT_VERSION = 2;

    private ResultFile() {
    }

    /** Writes {@code result} to {@code file} atomically. */
    public static void write(Path file, RunResult result) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        root.put("steps", result.steps());
        SweepJson.put(root, "final_test_acc", result.finalTestAccuracy());
        ObjectNode crossings = root.putObject("crossings");
        for (double threshold : result.crossings().thresholds()) {
            SweepJson.put(crossings, Double.toString(threshold), result.crossings().at(threshold));
        }
        ObjectNode detectors = root.putObject("detectors");
        result.detectors().forEach((name, d) -> {
            ObjectNode node = detectors.putObject(name);
            SweepJson.put(node, "fire_step", d.fireStep());
            ObjectNode statistics = node.putObject("statistics");
            d.statistics().forEach((k, v) -> SweepJson.put(statistics, k, v));
        });
        result.level().ifPresent(level -> SweepJson.put(root, "level", level));
        ObjectNode execution = root.putObject("execution");
        execution.put("mode", result.execution().mode().id());
        execution.put("started", result.execution().started().toString());
        execution.put("finished", result.execution().finished().toString());
        execution.put("wall_seconds", result.execution().wallTime().toMillis() / 1000.0);
        VersionedJson.write(file, root);
    }

    /**
     * Reads a marker.
     *
     * @throws DataFormatException naming the file and the field for anything it cannot read
     */
    public static RunResult read(Path file) {
        JsonNode root = VersionedJson.read(file, "run result", FORMAT_VERSION);
        boolean kebab = VersionedJson.version(root) < 2;
        try {
            Map<Double, OptionalLong> crossings = new TreeMap<>();
            root.path("crossings").properties().forEach(e -> crossings.put(Double.parseDouble(e.getKey()),
                    SweepJson.optionalLong(e.getValue())));
            SequencedMap<String, DetectorResult> detectors = new LinkedHashMap<>();
            root.path("detectors").properties().forEach(e -> {
                SortedMap<String, Double> statistics = new TreeMap<>();
                e.getValue().path("statistics").properties()
                        .forEach(s -> statistics.put(kebab ? s.getKey().replace('-', '_') : s.getKey(),
                                SweepJson.number(s.getValue())));
                detectors.put(e.getKey(), new DetectorResult(SweepJson.optionalLong(e.getValue().get("fire_step")),
                        statistics));
            });
            double accuracy = SweepJson.number(root.get("final_test_acc"));
            JsonNode level = root.get("level");
            Optional<LevelTrace> trace = level == null || level.isNull() ? Optional.empty()
                    : Optional.of(new LevelTrace(SweepJson.optionalLong(level.get("fire_step")),
                    required(level, "max", file).asDouble(), required(level, "first", file).asLong(),
                    required(level, "every", file).asLong()));
            JsonNode execution = root.path("execution");
            RunResult.Mode mode = RunResult.Mode.valueOf(execution.path("mode").asText().toUpperCase(java.util.Locale.ROOT));
            return new RunResult(required(root, "steps", file).asLong(),
                    Double.isNaN(accuracy) ? OptionalDouble.empty() : OptionalDouble.of(accuracy),
                    new AccuracyCrossings(crossings), detectors, trace, new RunResult.Execution(mode,
                    Instant.parse(execution.path("started").asText()), Instant.parse(execution.path("finished").asText())));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new DataFormatException("run result " + file + " cannot be read: " + e.getMessage()
                    + "; delete it and run the sweep again to collect the run anew");
        }
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new DataFormatException("run result " + file + ": missing field '" + field + "'");
        }
        return value;
    }
}
