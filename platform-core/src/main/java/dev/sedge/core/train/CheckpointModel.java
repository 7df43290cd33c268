package dev.sedge.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The model of a trained run as it was at one of its checkpoints: the run's own configuration
 * (its {@code run.json}), the task's data and the model rebuilt from it, the checkpoint's parameter
 * values loaded bit for bit. What the analyses of a stored run read hidden activations through.
 *
 * <p>Owns a DJL manager; {@link #close()} frees it. Confined to the thread that opened it.
 */
public final class CheckpointModel implements AutoCloseable {

    private final TrainingSession session;
    private final long step;

    private CheckpointModel(TrainingSession session, long step) {
        this.session = session;
        this.step = step;
    }

    /**
     * Opens the run in {@code runDirectory} at the checkpoint of {@code step}.
     *
     * @param registry resolves the recorded configuration's plugins
     * @throws DataFormatException if the folder is not a trained run or has no checkpoint at {@code step}
     *                             (the message lists the steps it has), or the checkpoint does not fit the model
     * @throws ConfigException     if the recorded configuration no longer resolves
     */
    public static CheckpointModel open(Path runDirectory, PluginRegistry registry, long step) {
        RunLayout layout = new RunLayout(runDirectory);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        if (!manifest.kind().equals(Trainer.KIND)) {
            throw new DataFormatException(layout.manifest() + " describes a run of kind '" + manifest.kind()
                    + "'; only a run sedge trained (kind '" + Trainer.KIND + "') can be rebuilt at a checkpoint");
        }
        Path file = CheckpointFiles.parameters(layout, step);
        if (!Files.isRegularFile(file)) {
            List<Long> steps = CheckpointFiles.steps(layout.checkpoints());
            throw new DataFormatException("run " + runDirectory + " has no checkpoint at step " + step + " ("
                    + file.getFileName() + "); its checkpoints are at steps " + steps
                    + ". Train with a smaller train.checkpoint-every to keep more of them");
        }
        Experiment experiment = Experiment.resolve(new ConfigSource(manifest.provenance().config()), registry);
        TrainingSession session = TrainingSession.open(experiment);
        try {
            new ParameterState(session).restoreParameters(CheckpointFiles.read(file).tensors(), "checkpoint " + file);
            return new CheckpointModel(session, step);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The checkpoint's step. */
    public long step() {
        return step;
    }

    /** The run's configuration, resolved against the plugins. */
    public Experiment experiment() {
        return session.experiment;
    }

    /** The model's probe points, the default first ({@link dev.sedge.api.model.ModelSpec#probePoints()}). */
    public List<String> probePoints() {
        return session.spec.probePoints();
    }

    /**
     * The activations at {@code point} for every training example, in the split's order.
     *
     * @throws ConfigException if the model has no such probe point (the message lists them)
     */
    public Activations trainActivations(String point) {
        return activations(session, session.train, point);
    }

    @Override
    public void close() {
        session.close();
    }

    /** The activations at {@code point} of every example of {@code split}, in its order ({@link Evaluator#features}). */
    static Activations activations(TrainingSession session, SplitArrays split, String point) {
        if (!session.spec.probePoints().contains(point)) {
            throw new ConfigException("the model has no probe point '" + point + "'; it has "
                    + session.spec.probePoints());
        }
        try (NDManager scope = session.manager.newSubManager()) {
            NDArray features = Evaluator.features(session, split, point, scope);
            return new Activations(split.size(), Math.toIntExact(features.getShape().get(1)), features.toFloatArray());
        }
    }
}
