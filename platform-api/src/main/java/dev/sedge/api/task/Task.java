package dev.sedge.api.task;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;

/**
 * A learning task: a finite input domain with labels and a train/test split.
 *
 * <p>Example: {@code mod-add} over Z_p makes every pair (a, b) with the label (a + b) mod p.
 */
public interface Task extends Plugin {

    /**
     * Makes the task's data.
     *
     * @param config scoped to {@code task}, checked against {@link #descriptor()}
     * @param seed   the task's own seed (split from the run seed); the same seed gives the same
     *               data and split, bit for bit
     * @throws dev.sedge.api.ConfigException or {@link IllegalArgumentException} for values out
     *         of range; the host reports either as a configuration error naming this task
     */
    TaskData create(PluginConfig config, long seed);
}
