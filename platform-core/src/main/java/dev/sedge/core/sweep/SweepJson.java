package dev.sedge.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.core.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The JSON conventions of the sweep's files: {@code formatVersion} first, snake_case fields, absent
 * values as {@code null}, non-finite numbers as strings ({@code "Infinity"}), written atomically.
 */
final class SweepJson {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepJson() {
    }

    static ObjectNode object(int formatVersion) {
        return MAPPER.createObjectNode().put("formatVersion", formatVersion);
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

    static String render(JsonNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    static void write(Path file, JsonNode root) {
        AtomicFile.writeString(file, render(root));
    }

    /**
     * Reads {@code file} and checks its formatVersion is in [1, supported].
     *
     * @throws DataFormatException naming the file when it is missing, not JSON, unversioned or too new
     */
    static JsonNode read(Path file, String what, int supported) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new DataFormatException(what + " " + file + " is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("formatVersion").canConvertToInt()) {
            throw new DataFormatException(what + " " + file + " has no integer formatVersion; is it a sedge file?");
        }
        int version = root.get("formatVersion").intValue();
        if (version < 1 || version > supported) {
            throw new DataFormatException(what + " " + file + " has formatVersion " + version + "; this sedge reads"
                    + " versions 1 to " + supported + (version > supported ? ": upgrade sedge to read it" : ""));
        }
        return root;
    }
}
