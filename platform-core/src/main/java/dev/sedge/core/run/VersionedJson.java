package dev.sedge.core.run;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON files of the run directory: {@code format_version} first, written atomically; read back
 * refusing a newer version with a clear message. Formats are mapped by hand with the tree model
 * so that renaming a Java type can never change a stored format, and every field name is
 * snake_case (docs/architecture.md, "Names"). Files written before that convention carry
 * {@code formatVersion} instead, and are read too. Also what the sweep's files
 * ({@code dev.sedge.core.sweep}) are written and read with.
 */
public final class VersionedJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VersionedJson() {
    }

    /** The field that comes first in every JSON file sedge writes. */
    public static final String VERSION_FIELD = "format_version";

    /** The name of {@link #VERSION_FIELD} in files written before names were snake_case. */
    private static final String LEGACY_VERSION_FIELD = "formatVersion";

    /** A new object whose first field is {@code format_version}. */
    public static ObjectNode object(int formatVersion) {
        return MAPPER.createObjectNode().put(VERSION_FIELD, formatVersion);
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Writes {@code root}, rendered by {@link #render}, to {@code file} atomically. */
    public static void write(Path file, JsonNode root) {
        AtomicFile.writeString(file, render(root));
    }

    /** Indented JSON with a final newline. */
    public static String render(JsonNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /**
     * Reads {@code file} and checks its {@code format_version} is in [1, supported].
     *
     * @param what for messages: {@code run manifest}
     * @throws DataFormatException if the file is missing, not JSON, unversioned or too new
     */
    public static JsonNode read(Path file, String what, int supported) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(what + " " + file + " does not exist");
        } catch (JsonProcessingException e) { // the parser's own words and where, not the library's internals
            throw new DataFormatException(what + " " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new DataFormatException(what + " " + file + " is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !versionNode(root).canConvertToInt()) {
            throw new DataFormatException(what + " " + file + " has no integer " + VERSION_FIELD
                    + "; is it a sedge file?");
        }
        int version = version(root);
        if (version < 1 || version > supported) {
            throw new DataFormatException(what + " " + file + " has " + VERSION_FIELD + " " + version
                    + "; this sedge reads versions 1 to " + supported
                    + (version > supported ? ": it was written by a newer sedge, upgrade to read it" : ""));
        }
        return root;
    }

    /** The format version of a root {@link #read} accepted. */
    public static int version(JsonNode root) {
        return versionNode(root).intValue();
    }

    private static JsonNode versionNode(JsonNode root) {
        return root.has(VERSION_FIELD) ? root.path(VERSION_FIELD) : root.path(LEGACY_VERSION_FIELD);
    }

    /** A required field, or a {@link DataFormatException} naming it and the file. */
    static JsonNode field(JsonNode node, String name, Path file) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new DataFormatException(file + ": missing field '" + name + "'");
        }
        return value;
    }

    static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        map.forEach(node::put);
        return node;
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    static List<String> stringList(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(v -> list.add(v.asText()));
        return list;
    }
}
