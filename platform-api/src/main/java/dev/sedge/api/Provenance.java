package dev.sedge.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How an artifact was made, embedded in every run directory and report.
 *
 * @param platform the sedge version that made it
 * @param apiLevel the {@link PluginDescriptor#API_LEVEL} of that version
 * @param plugins  {@code kind/name} to version for every plugin that took part
 * @param config   the effective configuration, flattened ({@code task.p} to {@code 71})
 * @param seed     the run seed every random stream is derived from
 * @param jdk      {@code java.vendor java.runtime.version}
 * @param os       {@code os.name os.version os.arch}
 * @param inputs   input file to its SHA-256 (hex), for imported data
 * @param created  when, UTC ISO-8601
 */
public record Provenance(String platform, int apiLevel, Map<String, String> plugins, Map<String, String> config,
                         long seed, String jdk, String os, Map<String, String> inputs, String created) {

    public Provenance {
        Objects.requireNonNull(platform, "platform");
        plugins = Map.copyOf(plugins);
        config = Map.copyOf(config);
        inputs = Map.copyOf(inputs);
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(created, "created");
    }

    /** A provenance for something made now, on this JVM. Maps are copied (sorted for display). */
    public static Provenance now(String platform, Map<String, String> plugins, Map<String, String> config, long seed,
                                 Map<String, String> inputs) {
        return new Provenance(platform, PluginDescriptor.API_LEVEL, new TreeMap<>(plugins), new TreeMap<>(config),
                seed, System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                new TreeMap<>(inputs), Instant.now().toString());
    }
}
