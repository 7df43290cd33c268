package dev.sedge.api;

import java.util.List;
import java.util.Objects;

/**
 * What a plugin says about itself: a one-line summary, the API level it needs, and the
 * configuration keys it takes (with defaults and meaning).
 *
 * @param summary  one line, no trailing period needed; shown by {@code sedge plugins}
 * @param apiLevel the lowest {@link #API_LEVEL} the plugin was built for; a host older than
 *                 that refuses the plugin before anything runs
 * @param keys     the configuration keys, in the order they are documented; names are unique
 */
public record PluginDescriptor(String summary, int apiLevel, List<ConfigKey> keys) {

    /**
     * The API level of this build of {@code dev.sedge.api}. Raised when the API changes in a way
     * plugins can see. Level 2: {@link dev.sedge.api.model.ModelFunction} and
     * {@link dev.sedge.api.model.Activations} are new, and the architecture and optimizer SPIs moved to
     * the module {@code dev.sedge.api.djl}; a task, basis, detector or format built at level 1 works
     * unchanged. Level 3, additive: sequence tasks ({@link dev.sedge.api.task.TargetSpec},
     * {@code TaskData.targets}; seq2seq models and {@code GreedyDecoding}), flat parameter buffers for optimizers ({@code OptimizerRun.update(step,
     * ParameterBuffers)}) and detectors that read host metrics ({@link dev.sedge.api.detect.EdgeDetector#hostMetrics});
     * every plugin built at level 2 works unchanged.
     */
    public static final int API_LEVEL = 3;

    public PluginDescriptor {
        Objects.requireNonNull(summary, "summary");
        if (apiLevel < 1) {
            throw new IllegalArgumentException("apiLevel must be >= 1, found " + apiLevel);
        }
        keys = List.copyOf(keys);
        long distinct = keys.stream().map(ConfigKey::name).distinct().count();
        if (distinct != keys.size()) {
            throw new IllegalArgumentException("duplicate configuration key in " + keys);
        }
    }

    /** A descriptor at the current {@link #API_LEVEL}. */
    public static PluginDescriptor of(String summary, ConfigKey... keys) {
        return new PluginDescriptor(summary, API_LEVEL, List.of(keys));
    }
}
