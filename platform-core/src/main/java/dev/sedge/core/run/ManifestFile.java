package dev.sedge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads and writes {@code run.json}. Format version 1:
 *
 * <pre>{@code
 * {"formatVersion": 1, "kind": "trained",
 *  "provenance": {"platform", "apiLevel", "plugins": {..}, "config": {..}, "seed", "jdk", "os",
 *                 "inputs": {..}, "created"},
 *  "runtime": {"ai.djl.pytorch.num_threads": "1", ..},     // optional: what else changes the numbers
 *  "layout": [{"name", "shape": [..], "dtype", "group"}]}
 * }</pre>
 */
public final class ManifestFile {

    private ManifestFile() {
    }

    /** Writes {@code manifest} to {@code file} atomically. */
    public static void write(Path file, RunManifest manifest) {
        ObjectNode root = VersionedJson.object(manifest.formatVersion());
        root.put("kind", manifest.kind());
        Provenance p = manifest.provenance();
        ObjectNode provenance = root.putObject("provenance");
        provenance.put("platform", p.platform());
        provenance.put("apiLevel", p.apiLevel());
        provenance.set("plugins", VersionedJson.stringMap(p.plugins()));
        provenance.set("config", VersionedJson.stringMap(p.config()));
        provenance.put("seed", p.seed());
        provenance.put("jdk", p.jdk());
        provenance.put("os", p.os());
        provenance.set("inputs", VersionedJson.stringMap(p.inputs()));
        provenance.put("created", p.created());
        if (!manifest.runtime().isEmpty()) {
            root.set("runtime", VersionedJson.stringMap(manifest.runtime()));
        }
        ArrayNode layout = root.putArray("layout");
        for (LayoutEntry entry : manifest.layout()) {
            ObjectNode node = layout.addObject();
            node.put("name", entry.name());
            ArrayNode shape = node.putArray("shape");
            entry.shape().forEach(shape::add);
            node.put("dtype", entry.dtype().name());
            node.put("group", entry.group());
        }
        VersionedJson.write(file, root);
    }

    /**
     * Reads a manifest of format version 1 to {@link RunManifest#FORMAT_VERSION}.
     *
     * @throws DataFormatException if the file is missing, corrupt or newer than this sedge
     */
    public static RunManifest read(Path file) {
        JsonNode root = VersionedJson.read(file, "run manifest", RunManifest.FORMAT_VERSION);
        JsonNode p = VersionedJson.field(root, "provenance", file);
        Provenance provenance = new Provenance(
                VersionedJson.field(p, "platform", file).asText(),
                VersionedJson.field(p, "apiLevel", file).asInt(),
                VersionedJson.stringMap(p.path("plugins")),
                VersionedJson.stringMap(p.path("config")),
                VersionedJson.field(p, "seed", file).asLong(),
                p.path("jdk").asText(""),
                p.path("os").asText(""),
                VersionedJson.stringMap(p.path("inputs")),
                p.path("created").asText(""));
        List<LayoutEntry> layout = new ArrayList<>();
        for (JsonNode node : VersionedJson.field(root, "layout", file)) {
            List<Long> shape = new ArrayList<>();
            VersionedJson.field(node, "shape", file).forEach(d -> shape.add(d.asLong()));
            String dtype = VersionedJson.field(node, "dtype", file).asText();
            try {
                layout.add(new LayoutEntry(VersionedJson.field(node, "name", file).asText(), shape,
                        DType.valueOf(dtype), node.path("group").asText("")));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file + ": unknown dtype '" + dtype + "' in layout");
            }
        }
        return new RunManifest(root.get("formatVersion").intValue(),
                VersionedJson.field(root, "kind", file).asText(), provenance, layout,
                new TreeMap<>(VersionedJson.stringMap(root.path("runtime"))));
    }
}
