package dev.sedge.api.detect;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;

/** A detector of transitions in a spectral series (lock-in slope, g23 decline, BBP …). */
public interface EdgeDetector extends Plugin {

    /**
     * Opens one run over one spectral series.
     *
     * @param config scoped to {@code detector}
     * @throws dev.sedge.api.ConfigException or {@link IllegalArgumentException} for values out of range
     */
    DetectorRun open(PluginConfig config);
}
