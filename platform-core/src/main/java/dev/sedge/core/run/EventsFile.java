package dev.sedge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.SedgeVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes {@code events.json}. Format version 2:
 *
 * <pre>{@code
 * {"format_version": 2,
 *  "detectors": [{"detector", "statistics": {name: number},
 *                 "events": [{"step", "kind", "message", "values": {name: number}}],
 *                 "settings": {key: value}, "source": "sedge detect 0.1.0",
 *                 "inputs": {"spectrum.csv": sha-256, "metrics.csv": sha-256}, "group": "all"}]}
 * }</pre>
 *
 * {@code settings} (every key of the detector's configuration, defaults filled in) and
 * {@code source} (what wrote the entry: the command and sedge's version; no time, so that the same
 * run gives the same file, resumed or not) say how a summary was made, and {@code inputs} what it
 * was computed from, when that was files ({@code sedge detect}; a live entry read the training
 * itself and has none); {@code group}, for a detector that read the host's per-window metrics computed from
 * the checkpoints (grad% on v_1), the parameter group they were computed on. Files written before these fields
 * existed lack them, and read back with none.
 * Non-finite numbers are written as strings ({@code "Infinity"}) and read back.
 *
 * <p>Version 1 wrote {@code formatVersion}, and the built-in detectors named their statistics and
 * values in kebab-case ({@code fire-step}); a version 1 file reads back with those names in
 * snake_case ({@code fire_step}), as version 2 writes them.
 */
public final class EventsFile {

    /** The events format this build writes. */
    public static final int FORMAT_VERSION = 2;

    private EventsFile() {
    }

    /**
     * One detector's entry: its summary and how it was made.
     *
     * @param summary  the detector's summary
     * @param settings its configuration, every key with its value; empty when not recorded; copied
     * @param source   what wrote it ({@code sedge detect 0.1.0}); empty when not recorded
     * @param inputs   the files it was computed from (relative to the run) to their SHA-256; empty
     *                 when it read none or they were not recorded; copied
     * @param group    the parameter group (a run.json group or a glob) the metrics it read from the checkpoints
     *                 were computed on; empty when it read none or it was not recorded
     */
    public record Entry(DetectorSummary summary, SortedMap<String, String> settings, String source,
                        SortedMap<String, String> inputs, String group) {
        public Entry {
            Objects.requireNonNull(summary, "summary");
            settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
            Objects.requireNonNull(source, "source");
            inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
            Objects.requireNonNull(group, "group");
        }

        /**
         * An entry made by {@code tool} of this sedge with a detector configured by {@code config}.
         *
         * @param tool what makes it: {@code sedge train (live)}, {@code sedge detect}
         */
        public static Entry of(DetectorSummary summary, Map<String, ?> config, String tool) {
            return new Entry(summary, settingsOf(config), tool + " " + SedgeVersion.current(), new TreeMap<>(), "");
        }

        /** A detector's configuration as an entry records it: every key with its value as text. */
        public static SortedMap<String, String> settingsOf(Map<String, ?> config) {
            SortedMap<String, String> settings = new TreeMap<>();
            config.forEach((k, v) -> settings.put(k, String.valueOf(v)));
            return settings;
        }

        /** This entry, computed from {@code files} (relative to the run) with these SHA-256 digests. */
        public Entry withInputs(Map<String, String> files) {
            return new Entry(summary, settings, source, new TreeMap<>(files), group);
        }

        /** This entry, its checkpoint metrics computed on {@code newGroup}. */
        public Entry withGroup(String newGroup) {
            return new Entry(summary, settings, source, inputs, newGroup);
        }

        /** The detector's name. */
        public String detector() {
            return summary.detector();
        }
    }

    /** Writes one summary per detector, atomically, without settings or source. */
    public static void write(Path file, List<DetectorSummary> summaries) {
        writeEntries(file, summaries.stream()
                .map(s -> new Entry(s, new TreeMap<>(), "", new TreeMap<>(), "")).toList());
    }

    /** Writes one entry per detector, atomically. */
    public static void writeEntries(Path file, List<Entry> entries) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        ArrayNode detectors = root.putArray("detectors");
        for (Entry entry : entries) {
            DetectorSummary summary = entry.summary();
            ObjectNode node = detectors.addObject();
            node.put("detector", summary.detector());
            node.set("statistics", numbers(summary.statistics()));
            ArrayNode events = node.putArray("events");
            for (EdgeEvent event : summary.events()) {
                ObjectNode e = events.addObject();
                e.put("step", event.step());
                e.put("kind", event.kind());
                e.put("message", event.message());
                e.set("values", numbers(event.values()));
            }
            if (!entry.settings().isEmpty()) {
                entry.settings().forEach(node.putObject("settings")::put);
            }
            if (!entry.source().isEmpty()) {
                node.put("source", entry.source());
            }
            if (!entry.inputs().isEmpty()) {
                node.set("inputs", VersionedJson.stringMap(entry.inputs()));
            }
            if (!entry.group().isEmpty()) {
                node.put("group", entry.group());
            }
        }
        VersionedJson.write(file, root);
    }

    /** Reads the summaries back, in file order. */
    public static List<DetectorSummary> read(Path file) {
        return readEntries(file).stream().map(Entry::summary).toList();
    }

    /** Reads the entries back, in file order. */
    public static List<Entry> readEntries(Path file) {
        JsonNode root = VersionedJson.read(file, "events file", FORMAT_VERSION);
        boolean kebab = VersionedJson.version(root) < 2;
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : VersionedJson.field(root, "detectors", file)) {
            String detector = VersionedJson.field(node, "detector", file).asText();
            List<EdgeEvent> events = new ArrayList<>();
            for (JsonNode e : node.path("events")) {
                events.add(new EdgeEvent(detector, VersionedJson.field(e, "step", file).asLong(),
                        VersionedJson.field(e, "kind", file).asText(), e.path("message").asText(""),
                        numbers(e.path("values"), kebab, file)));
            }
            SortedMap<String, String> settings = new TreeMap<>();
            node.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
            entries.add(new Entry(new DetectorSummary(detector, events, numbers(node.path("statistics"), kebab, file)), settings,
                    node.path("source").asText(""), new TreeMap<>(VersionedJson.stringMap(node.path("inputs"))),
                    node.path("group").asText("")));
        }
        return entries;
    }

    private static ObjectNode numbers(Map<String, Double> values) {
        ObjectNode node = VersionedJson.object();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            double v = e.getValue();
            if (Double.isFinite(v)) {
                node.put(e.getKey(), v);
            } else {
                node.put(e.getKey(), Double.toString(v));
            }
        });
        return node;
    }

    /**
     * A map of numbers, written as JSON numbers or, for the values JSON has none for, as the
     * strings {@code NaN}, {@code Infinity} and {@code -Infinity}.
     *
     * @param kebab whether the names are version 1's kebab-case, to be read as snake_case
     * @throws DataFormatException naming the file and key for any other value
     */
    private static Map<String, Double> numbers(JsonNode node, boolean kebab, Path file) {
        Map<String, Double> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(kebab ? e.getKey().replace('-', '_') : e.getKey(),
                number(e.getValue(), e.getKey(), file)));
        return values;
    }

    private static double number(JsonNode value, String key, Path file) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return switch (value.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new DataFormatException("events file " + file + ": '" + key + "' is " + value
                    + ", expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"); write the file again with"
                    + " sedge detect");
        };
    }
}
