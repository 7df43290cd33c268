package dev.sedge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Provenance;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * The {@code provenance} object every JSON file sedge writes carries, in one shape
 * (docs/run-directory.md, "Provenance"):
 *
 * <pre>{@code
 * {"platform", "api_level", "plugins": {kind/name: version}, "config": {key: value}, "seed",
 *  "jdk", "os", "inputs": {file: sha-256}, "created"}
 * }</pre>
 *
 * Maps are written sorted by key, so the same provenance gives the same bytes in every JVM (the
 * record's maps keep no order). Stateless.
 */
public final class ProvenanceJson {

    private ProvenanceJson() {
    }

    /** {@code p} as a new JSON object. */
    public static ObjectNode of(Provenance p) {
        ObjectNode node = VersionedJson.object();
        node.put("platform", p.platform());
        node.put("api_level", p.apiLevel());
        node.set("plugins", VersionedJson.stringMap(new TreeMap<>(p.plugins())));
        node.set("config", VersionedJson.stringMap(new TreeMap<>(p.config())));
        node.put("seed", p.seed());
        node.put("jdk", p.jdk());
        node.put("os", p.os());
        node.set("inputs", VersionedJson.stringMap(new TreeMap<>(p.inputs())));
        node.put("created", p.created());
        return node;
    }

    /**
     * Reads a provenance object.
     *
     * @param legacy whether it was written before names were snake_case ({@code apiLevel})
     * @param file   for messages
     * @throws dev.sedge.api.DataFormatException naming the file and a missing field
     */
    public static Provenance read(JsonNode node, boolean legacy, Path file) {
        return new Provenance(
                VersionedJson.field(node, "platform", file).asText(),
                VersionedJson.field(node, legacy ? "apiLevel" : "api_level", file).asInt(),
                VersionedJson.stringMap(node.path("plugins")),
                VersionedJson.stringMap(node.path("config")),
                VersionedJson.field(node, "seed", file).asLong(),
                node.path("jdk").asText(""),
                node.path("os").asText(""),
                VersionedJson.stringMap(node.path("inputs")),
                node.path("created").asText(""));
    }
}
