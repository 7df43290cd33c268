package dev.sedge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.run.VersionedJson;

/**
 * The one writer of every command's {@code --json} document: objects made here, rendered indented
 * with a final newline; a document starts with {@code format_version}, and every name in it is
 * snake_case, as in the run's files (docs/architecture.md, "Names"). The files of a run are written
 * by the core's {@code VersionedJson}.
 */
final class JsonOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /**
     * The version of every {@code --json} document, raised when a field is renamed or removed (adding
     * one keeps it): 2 since names are snake_case (1 had {@code formatVersion}, {@code fireStep} …).
     */
    static final int FORMAT_VERSION = 2;

    /** A new document: an object whose first field is {@code format_version}. */
    static ObjectNode document() {
        return JSON.createObjectNode().put(VersionedJson.VERSION_FIELD, FORMAT_VERSION);
    }

    /** A new, empty JSON object. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@code value} as a JSON tree (a map, a list, a number …). */
    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** {@code root} as the document a command prints. */
    static String render(JsonNode root) {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a --json document could not be written", e);
        }
    }
}
