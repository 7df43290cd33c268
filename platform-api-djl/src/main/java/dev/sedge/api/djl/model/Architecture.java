package dev.sedge.api.djl.model;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;

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
