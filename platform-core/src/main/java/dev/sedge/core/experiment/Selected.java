package dev.sedge.core.experiment;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import java.util.Objects;

/**
 * A plugin chosen for an experiment, with its checked configuration.
 *
 * @param plugin the provider
 * @param config its configuration, scoped ({@code task}, {@code detector.eigengap-slope})
 */
public record Selected<T extends Plugin>(T plugin, PluginConfig config) {

    public Selected {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(config, "config");
    }

    /** The plugin as messages name it: {@code task 'mod-add' (keys task.*)}. */
    public String describe(String kind) {
        return kind + " '" + plugin.name() + "' (keys " + config.scope() + ".*)";
    }
}
