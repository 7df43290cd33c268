package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.VersionedJson;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The JSON conventions of the sweep's files: {@code format_version} first, snake_case fields, absent
 * values as {@code null}, non-finite numbers as strings ({@code "Infinity"}). The files themselves
 * are made, written and read with {@link VersionedJson}, as the run directory's are.
 */
final class SweepJson {

    private SweepJson() {
    }

    static void put(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.put(field, Double.toString(value));
        }
    }

    static void put(ObjectNode node, String field, OptionalDouble value) {
        if (value.isPresent()) {
            put(node, field, value.getAsDouble());
        } else {
            node.putNull(field);
        }
    }

    static void put(ObjectNode node, String field, OptionalLong value) {
        if (value.isPresent()) {
            node.put(field, value.getAsLong());
        } else {
            node.putNull(field);
        }
    }

    /** A level trace as {@code {"fire_step", "max", "first", "every"}} ({@code fire_step} null: never). */
    static void put(ObjectNode node, String field, LevelTrace level) {
        ObjectNode trace = node.putObject(field);
        put(trace, "fire_step", level.fireStep());
        put(trace, "max", level.max());
        trace.put("first", level.first());
        trace.put("every", level.every());
    }

    /** A number written by {@link #put(ObjectNode, String, double)}; NaN when absent or null. */
    static double number(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Double.NaN;
        }
        return node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText());
    }

    static OptionalLong optionalLong(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? OptionalLong.empty()
                : OptionalLong.of(node.asLong());
    }
}
