package dev.sedge.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.Head;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.core.train.TrainingSession.ModelParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The model of a trained run as it was at one of its checkpoints: the run's own configuration
 * (its {@code run.json}), the task's data and the model rebuilt from it, the checkpoint's parameter
 * values loaded bit for bit. What the analyses of a stored run read hidden activations through: the
 * DJL implementation of the neutral {@link ModelFunction}, whose outputs are the model's probe points.
 *
 * <p>Owns a DJL manager; {@link #close()} frees it. Confined to the thread that opened it.
 */
public final class CheckpointModel implements ModelFunction {

    private final TrainingSession session;
    private final long step;
    private final List<Tensor> checkpoint;
    private final TaskShape shape;

    private CheckpointModel(TrainingSession session, long step, List<Tensor> checkpoint) {
        this.session = session;
        this.step = step;
        this.checkpoint = List.copyOf(checkpoint);
        this.shape = new TaskShape(session.data.vocabularySize(), session.data.sequenceLength(),
                session.data.heads().stream().map(Head::classes).toList());
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
            List<Tensor> values = CheckpointFiles.read(file).tensors();
            new ParameterState(session).restoreParameters(values, "checkpoint " + file);
            return new CheckpointModel(session, step, values);
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

    /** The checkpoint's parameter values, as {@link #apply} takes them. */
    public List<Tensor> checkpoint() {
        return checkpoint;
    }

    /** The tokens of every training example, in the split's order, as {@link #apply} takes them. */
    public int[] trainTokens() {
        return session.train.tokens();
    }

    @Override
    public TaskShape shape() {
        return shape;
    }

    @Override
    public List<TensorInfo> parameters() {
        return session.parameters.stream().map(ModelParameter::info).toList();
    }

    /** The model's probe points, the default first ({@link dev.sedge.api.djl.model.ModelSpec#probePoints()}). */
    @Override
    public List<String> outputs() {
        return session.spec.probePoints();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Loads the values into the model's parameters (they stay there until the next call) and runs
     * the probe in chunks of {@link Evaluator#CHUNK} inputs, as training's level metric does.
     */
    @Override
    public Activations apply(List<Tensor> parameters, int[] tokens, String output) {
        if (!outputs().contains(output)) {
            throw new ConfigException("the model has no probe point '" + output + "'; it has " + outputs());
        }
        int length = shape.sequenceLength();
        if (tokens.length == 0 || tokens.length % length != 0) {
            throw new IllegalArgumentException(tokens.length + " tokens are no whole number >= 1 of inputs of "
                    + length + " tokens");
        }
        for (int t : tokens) {
            if (t < 0 || t >= shape.vocabularySize()) {
                throw new IllegalArgumentException("token " + t + " outside the vocabulary [0, "
                        + shape.vocabularySize() + ")");
            }
        }
        new ParameterState(session).restoreParameters(parameters, "the parameter values given");
        SplitArrays inputs = SplitArrays.unlabelled(tokens.clone(), length);
        try (NDManager scope = session.manager.newSubManager()) {
            NDArray features = Evaluator.features(session, inputs, output, scope);
            return new Activations(inputs.size(), Math.toIntExact(features.getShape().get(1)), features.toFloatArray());
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
