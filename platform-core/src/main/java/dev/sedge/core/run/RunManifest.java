package dev.sedge.core.run;

import dev.sedge.api.Provenance;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of {@code run.json}: how the run was made and what its checkpoints hold.
 *
 * @param formatVersion the version of the run-directory format this was read in (written: always the current)
 * @param kind          {@code trained} or {@code imported}
 * @param provenance    platform and plugin versions, configuration, seed, JDK, OS, input hashes
 * @param layout        every parameter, in checkpoint order
 * @param runtime       the settings outside the configuration that change the numbers in their last
 *                      bits (PyTorch's thread counts, the cores), by name; empty when not recorded; copied
 * @param fork          for a run forked from another ({@code sedge train --fork}), where it branched off
 */
public record RunManifest(int formatVersion, String kind, Provenance provenance, List<LayoutEntry> layout,
                          SortedMap<String, String> runtime, Optional<ForkOrigin> fork) {

    /** The {@link #kind()} of a run sedge trained. */
    public static final String TRAINED = "trained";

    /** The {@link #kind()} of a run made by {@code sedge import} from checkpoints trained elsewhere. */
    public static final String IMPORTED = "imported";

    /** The run-directory format this build writes; readers take this and every older one. */
    public static final int FORMAT_VERSION = 2;

    public RunManifest {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1, found " + formatVersion);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provenance, "provenance");
        layout = List.copyOf(layout);
        runtime = Collections.unmodifiableSortedMap(new TreeMap<>(runtime));
        Objects.requireNonNull(fork, "fork");
    }

    /** A manifest in the current format, without runtime settings. */
    public static RunManifest of(String kind, Provenance provenance, List<LayoutEntry> layout) {
        return new RunManifest(FORMAT_VERSION, kind, provenance, layout, new TreeMap<>(), Optional.empty());
    }

    /** This manifest with its provenance's configuration replaced by {@code config} (a run extended). */
    public RunManifest withConfig(Map<String, String> config) {
        Provenance p = provenance;
        return new RunManifest(formatVersion, kind, new Provenance(p.platform(), p.apiLevel(), p.plugins(), config,
                p.seed(), p.jdk(), p.os(), p.inputs(), p.created()), layout, runtime, fork);
    }

    /** This manifest with {@code runtime} recorded. */
    public RunManifest withRuntime(Map<String, String> settings) {
        return new RunManifest(formatVersion, kind, provenance, layout, new TreeMap<>(settings), fork);
    }

    /** This manifest recording that the run was forked at {@code origin}. */
    public RunManifest withFork(ForkOrigin origin) {
        return new RunManifest(formatVersion, kind, provenance, layout, runtime, Optional.of(origin));
    }
}
