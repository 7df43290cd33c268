package dev.sedge.api.model;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;

/**
 * A model family, as a DJL block (two-layer MLP, transformer encoder …).
 */
public interface Architecture extends Plugin {

    /**
     * Makes the model for a task of the given shape.
     *
     * @param config scoped to {@code architecture}
     * @throws dev.sedge.api.ConfigException or {@link IllegalArgumentException} for values out of range
     */
    ModelSpec create(PluginConfig config, TaskShape shape);
}
