package dev.sedge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code events.json}. Format version 1:
 *
 * <pre>{@code
 * {"formatVersion": 1,
 *  "detectors": [{"detector", "statistics": {name: number},
 *                 "events": [{"step", "kind", "message", "values": {name: number}}]}]}
 * }</pre>
 *
 * Non-finite numbers are written as strings ({@code "Infinity"}) and read back.
 */
public final class EventsFile {

    /** The events format this build writes. */
    public static final int FORMAT_VERSION = 1;

    private EventsFile() {
    }

    /** Writes one summary per detector, atomically. */
    public static void write(Path file, List<DetectorSummary> summaries) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        ArrayNode detectors = root.putArray("detectors");
        for (DetectorSummary summary : summaries) {
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
        }
        VersionedJson.write(file, root);
    }

    /** Reads the summaries back, in file order. */
    public static List<DetectorSummary> read(Path file) {
        JsonNode root = VersionedJson.read(file, "events file", FORMAT_VERSION);
        List<DetectorSummary> summaries = new ArrayList<>();
        for (JsonNode node : VersionedJson.field(root, "detectors", file)) {
            String detector = VersionedJson.field(node, "detector", file).asText();
            List<EdgeEvent> events = new ArrayList<>();
            for (JsonNode e : node.path("events")) {
                events.add(new EdgeEvent(detector, VersionedJson.field(e, "step", file).asLong(),
                        VersionedJson.field(e, "kind", file).asText(), e.path("message").asText(""),
                        numbers(e.path("values"))));
            }
            summaries.add(new DetectorSummary(detector, events, numbers(node.path("statistics"))));
        }
        return summaries;
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

    private static Map<String, Double> numbers(JsonNode node) {
        Map<String, Double> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().doubleValue() : Double.parseDouble(e.getValue().asText())));
        return values;
    }
}
