package dev.sedge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one writer of every command's {@code --json} document: objects made here, rendered indented
 * with a final newline. The files of a run are written by the core's {@code VersionedJson}.
 */
final class JsonOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
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
