package dev.sedge.core.plugin;

import dev.sedge.api.ConfigException;
import dev.sedge.api.Plugin;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.task.Task;

/**
 * The kinds of plugin this host loads: one per service-provider interface of the API. The list
 * belongs to the host, not to the API (a plugin never needs it), so a host can add a kind without
 * an API change. {@link #id()} is the word users see (in {@code sedge plugins}, and as the first
 * segment of a configuration key: {@code task.p}).
 */
public enum PluginKind {
    TASK("task", Task.class),
    ARCHITECTURE("architecture", Architecture.class),
    OPTIMIZER("optimizer", Optimizer.class),
    BASIS("basis", FunctionalBasis.class),
    DETECTOR("detector", EdgeDetector.class),
    FORMAT("format", CheckpointFormat.class);

    private final String id;
    private final Class<? extends Plugin> service;

    PluginKind(String id, Class<? extends Plugin> service) {
        this.id = id;
        this.service = service;
    }

    /** Lower-case word naming the kind: {@code task}, {@code architecture} … */
    public String id() {
        return id;
    }

    /** The service interface a provider of this kind implements. */
    public Class<? extends Plugin> service() {
        return service;
    }

    /** The kind whose {@link #id()} is {@code id}; a {@link ConfigException} listing the ids otherwise. */
    public static PluginKind ofId(String id) {
        for (PluginKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new ConfigException("unknown plugin kind '" + id + "'; known kinds: task, architecture, "
                + "optimizer, basis, detector, format");
    }
}
