package dev.sedge.core.trajectory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Provenance;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.ProvenanceJson;
import dev.sedge.core.run.VersionedJson;
import java.nio.file.Path;

/**
 * The provenance of a spectrum computed from stored checkpoints, beside it: {@code NAME.csv} gets
 * {@code NAME.provenance.json} (docs/run-directory.md, "Provenance"). Format version 1:
 *
 * <pre>{@code
 * {"format_version": 1, "file": "spectrum.csv", "sha256": "<of that file>",
 *  "provenance": {"platform", "api_level", "plugins": {"format/safetensors": ..}, "config":
 *                 {"spectrum.group", "spectrum.window", ..}, "seed", "jdk", "os",
 *                 "inputs": {"checkpoints/step-000000100.safetensors": "<sha-256>", ..}, "created"}}
 * }</pre>
 *
 * {@code sha256} ties the record to the file it describes: a spectrum.csv rewritten since (a run
 * extended by training) no longer matches it. Stateless.
 */
public final class SpectrumProvenance {

    /** The format this build writes. */
    public static final int FORMAT_VERSION = 1;

    private SpectrumProvenance() {
    }

    /** Where the provenance of {@code spectrum} is kept. */
    public static Path of(Path spectrum) {
        String name = spectrum.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return spectrum.resolveSibling(stem + ".provenance.json");
    }

    /** Writes the provenance of {@code spectrum}, made by {@code provenance}, atomically beside it. */
    static void write(Path spectrum, Provenance provenance) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        root.put("file", spectrum.getFileName().toString());
        root.put("sha256", InputDigests.sha256(spectrum));
        root.set("provenance", ProvenanceJson.of(provenance));
        VersionedJson.write(of(spectrum), root);
    }
}
