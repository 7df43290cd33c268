package dev.sedge.core.experiment;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;

/**
 * How long and how a run trains: the {@code train.*} keys.
 *
 * @param steps           optimizer steps (one full-batch step is one epoch)
 * @param batchSize       examples per step, sampled with replacement; 0 for full batch
 * @param evalEvery       evaluate train and test loss and accuracy every this many steps
 * @param checkpointEvery write a full checkpoint every this many steps (0: only at the end)
 * @param clip            clip the global gradient norm to this; 0 for no clipping
 * @param levelEvery      measure the level metric ρ at the evaluations whose step is a multiple of this; 0: never
 * @param levelProbe      the probe point ρ reads the features at; empty: the model's first
 */
public record TrainSettings(long steps, int batchSize, int evalEvery, int checkpointEvery, double clip,
                            int levelEvery, String levelProbe) {

    static final PluginDescriptor KEYS = PluginDescriptor.of("training loop",
            ConfigKey.ofLong("steps", 400, "optimizer steps; with full batch, one step is one epoch"),
            ConfigKey.ofInt("batch-size", 0, "examples per step, sampled with replacement; 0 for full batch"),
            ConfigKey.ofInt("eval-every", 1, "evaluate losses and accuracies every this many steps"),
            ConfigKey.ofInt("checkpoint-every", 100, "write a full checkpoint every this many steps; 0: only the last"),
            ConfigKey.ofDouble("clip", 0, "clip the global gradient norm to this; 0 for none"),
            ConfigKey.ofInt("level-every", 0, "measure the level metric rho (metrics column level_rho: how far the"
                    + " centered Gram of the hidden features on the training inputs is from aI + b11', the Feature"
                    + " Repulsion paper's leading signal) at the evaluations whose step is a multiple of this; 0: never."
                    + " One rho costs an n x n Gram of the features (about 2.5 steps of the lock-in setup)"),
            ConfigKey.ofString("level-probe", "", "the probe point whose activations are the features of rho;"
                    + " empty: the model's first (mlp2: hidden)"));

    public TrainSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("train.steps must be >= 1, found " + steps);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("train.batch-size must be >= 0 (0 = full batch), found " + batchSize);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("train.eval-every must be >= 1, found " + evalEvery);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("train.checkpoint-every must be >= 0, found " + checkpointEvery);
        }
        if (clip < 0) {
            throw new IllegalArgumentException("train.clip must be >= 0, found " + clip);
        }
        if (levelEvery < 0) {
            throw new IllegalArgumentException("train.level-every must be >= 0 (0 = never), found " + levelEvery);
        }
        levelProbe = levelProbe.strip();
    }

    static TrainSettings of(PluginConfig c) {
        return new TrainSettings(c.longValue("steps"), c.intValue("batch-size"), c.intValue("eval-every"),
                c.intValue("checkpoint-every"), c.doubleValue("clip"), c.intValue("level-every"),
                c.stringValue("level-probe"));
    }
}
