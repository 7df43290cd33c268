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
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads and writes {@code run.json}. Format version 2:
 *
 * <pre>{@code
 * {"format_version": 2, "kind": "trained",
 *  "provenance": {"platform", "api_level", "plugins": {..}, "config": {..}, "seed", "jdk", "os",
 *                 "inputs": {..}, "created"},
 *  "runtime": {"ai.djl.pytorch.num_threads": "1", ..},     // optional: what else changes the numbers
 *  "fork": {"parent": "/abs/run", "step": 1000,              // optional: a run forked from another
 *           "changed": {"optimizer.weight-decay": "1.0"},    //   each key it changed, the parent's value
 *           "spectrum_restarted": true},                      //   only when the live spectrum started again
 *  "layout": [{"name", "shape": [..], "dtype", "group",       // group: the first of its groups, or ""
 *              "groups": [..]}]}                           // every group it belongs to
 * }</pre>
 *
 * Version 1 differed only in two names: {@code formatVersion} and {@code apiLevel}. A manifest is
 * always written in the current version. A manifest written before {@code groups} existed gives each
 * parameter its {@code group} alone: there a group that overlaps an earlier one (a transformer's
 * {@code all}) holds only the parameters of no other group (docs/run-directory.md).
 */
public final class ManifestFile {

    private ManifestFile() {
    }

    /** Writes {@code manifest} to {@code file} atomically. */
    public static void write(Path file, RunManifest manifest) {
        ObjectNode root = VersionedJson.object(RunManifest.FORMAT_VERSION);
        root.put("kind", manifest.kind());
        root.set("provenance", ProvenanceJson.of(manifest.provenance()));
        if (!manifest.runtime().isEmpty()) {
            root.set("runtime", VersionedJson.stringMap(manifest.runtime()));
        }
        manifest.fork().ifPresent(fork -> {
            ObjectNode node = root.putObject("fork");
            node.put("parent", fork.parent());
            node.put("step", fork.step());
            node.set("changed", VersionedJson.stringMap(fork.changed()));
            if (fork.spectrumRestarted()) {
                node.put("spectrum_restarted", true);
            }
        });
        ArrayNode layout = root.putArray("layout");
        for (LayoutEntry entry : manifest.layout()) {
            ObjectNode node = layout.addObject();
            node.put("name", entry.name());
            ArrayNode shape = node.putArray("shape");
            entry.shape().forEach(shape::add);
            node.put("dtype", entry.dtype().name());
            node.put("group", entry.group());
            ArrayNode groups = node.putArray("groups");
            entry.groups().forEach(groups::add);
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
        Provenance provenance = ProvenanceJson.read(VersionedJson.field(root, "provenance", file),
                VersionedJson.version(root) < 2, file);
        List<LayoutEntry> layout = new ArrayList<>();
        for (JsonNode node : VersionedJson.field(root, "layout", file)) {
            List<Long> shape = new ArrayList<>();
            VersionedJson.field(node, "shape", file).forEach(d -> shape.add(d.asLong()));
            String dtype = VersionedJson.field(node, "dtype", file).asText();
            try {
                String name = VersionedJson.field(node, "name", file).asText();
                layout.add(node.has("groups")
                        ? new LayoutEntry(name, shape, DType.valueOf(dtype), VersionedJson.stringList(node.path("groups")))
                        : new LayoutEntry(name, shape, DType.valueOf(dtype), node.path("group").asText("")));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file + ": unknown dtype '" + dtype + "' in layout");
            }
        }
        JsonNode fork = root.path("fork");
        return new RunManifest(VersionedJson.version(root),
                VersionedJson.field(root, "kind", file).asText(), provenance, layout,
                new TreeMap<>(VersionedJson.stringMap(root.path("runtime"))),
                fork.isObject() ? Optional.of(new ForkOrigin(VersionedJson.field(fork, "parent", file).asText(),
                        VersionedJson.field(fork, "step", file).asLong(),
                        new TreeMap<>(VersionedJson.stringMap(fork.path("changed"))),
                        fork.path("spectrum_restarted").asBoolean(false))) : Optional.empty());
    }
}
