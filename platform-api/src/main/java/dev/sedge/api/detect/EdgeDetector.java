package dev.sedge.api.detect;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import java.util.Set;

/** A detector of transitions in a spectral series (lock-in slope, g23 decline, BBP …). */
public interface EdgeDetector extends Plugin {

    /**
     * Opens one run over one spectral series.
     *
     * @param config scoped to {@code detector}
     * @throws dev.sedge.api.ConfigException or {@link IllegalArgumentException} for values out of range
     */
    DetectorRun open(PluginConfig config);

    /**
     * The window metrics this detector reads that are not in {@code metrics.csv} and that a host computes
     * from the run's checkpoints only when a detector asks, at a cost: {@link SpectralWindow#EDGE_GRADIENT_SHARE}
     * and {@link SpectralWindow#EDGE_ROTATION}. A host that cannot compute them for a run refuses the detector,
     * saying why (the live monitor of {@code sedge train} never can: such a detector runs in {@code sedge detect}).
     * Default: none.
     */
    default Set<String> hostMetrics() {
        return Set.of();
    }
}
