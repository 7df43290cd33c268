package dev.sedge.core.model;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The model of a trained run as it was at one of its checkpoints: the run's own configuration (its
 * {@code run.json}) resolved against the plugins, the task's data as training made it, the
 * checkpoint's parameter values bit for bit, and the model rebuilt by a {@link ModelFactory}. What
 * the analyses of a stored run read activations through; a {@link ModelFunction} itself, by
 * delegation, whose outputs are the model's probe points.
 *
 * <p>Owns the function the factory made; {@link #close()} frees it. Confined to the thread that opened it.
 */
public final class CheckpointModel implements ModelFunction {

    private final Experiment experiment;
    private final long step;
    private final List<Tensor> checkpoint;
    private final TaskData data;
    private final ModelFunction model;

    private CheckpointModel(Experiment experiment, long step, List<Tensor> checkpoint, TaskData data,
                            ModelFunction model) {
        this.experiment = experiment;
        this.step = step;
        this.checkpoint = List.copyOf(checkpoint);
        this.data = data;
        this.model = model;
    }

    /**
     * Opens the run in {@code runDirectory} at the checkpoint of {@code step}, with the model factory
     * found on the module path (the trainer's).
     *
     * @throws ConfigException     if no module provides a model factory, or the recorded configuration
     *                             no longer resolves
     * @throws DataFormatException if the folder is not a trained run or has no checkpoint at {@code step}
     *                             (the message lists the steps it has), or the checkpoint does not fit the model
     */
    public static CheckpointModel open(Path runDirectory, PluginRegistry registry, long step) {
        ModelFactory factory = ServiceLoader.load(ModelFactory.class).findFirst().orElseThrow(() ->
                new ConfigException("no module builds models here (dev.sedge.train provides them): the"
                        + " installation is incomplete; reinstall sedge"));
        return open(runDirectory, registry, step, factory);
    }

    /**
     * Opens the run in {@code runDirectory} at the checkpoint of {@code step}, its model built by
     * {@code factory}.
     *
     * @throws DataFormatException as {@link #open(Path, PluginRegistry, long)}
     * @throws ConfigException     if the recorded configuration no longer resolves
     */
    public static CheckpointModel open(Path runDirectory, PluginRegistry registry, long step, ModelFactory factory) {
        RunLayout layout = new RunLayout(runDirectory);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        if (!manifest.kind().equals(RunManifest.TRAINED)) {
            throw new DataFormatException(layout.manifest() + " describes a run of kind '" + manifest.kind()
                    + "'; only a run sedge trained (kind '" + RunManifest.TRAINED + "') can be rebuilt at a checkpoint");
        }
        Path file = layout.checkpoint(step);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("run " + runDirectory + " has no checkpoint at step " + step + " ("
                    + file.getFileName() + "); its checkpoints are at steps " + layout.checkpointSteps()
                    + ". Train with a smaller train.checkpoint-every to keep more of them");
        }
        Experiment experiment = Experiment.resolve(new ConfigSource(manifest.provenance().config()), registry);
        List<Tensor> values;
        try (Checkpoint stored = new SafetensorsFormat().open(file)) {
            values = stored.readAll();
        }
        TaskData data = experiment.data();
        ModelFunction model = factory.create(experiment);
        try {
            requireFits(model, values, file);
            return new CheckpointModel(experiment, step, values, data, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Every parameter of the model has a value of its shape in the checkpoint. */
    private static void requireFits(ModelFunction model, List<Tensor> values, Path file) {
        Map<String, TensorInfo> stored = values.stream().map(Tensor::info)
                .collect(Collectors.toMap(TensorInfo::name, Function.identity()));
        for (TensorInfo wanted : model.parameters()) {
            TensorInfo found = stored.get(wanted.name());
            if (found == null || !found.shape().equals(wanted.shape())) {
                throw new DataFormatException("checkpoint " + file + " does not fit the run's model: parameter '"
                        + wanted.name() + "' of shape " + wanted.shape() + " is "
                        + (found == null ? "missing" : "stored with shape " + found.shape())
                        + "; was the file replaced, or run.json edited?");
            }
        }
    }

    /** The checkpoint's step. */
    public long step() {
        return step;
    }

    /** The run's configuration, resolved against the plugins. */
    public Experiment experiment() {
        return experiment;
    }

    /** The task's data, as training made it: the inputs, labels and split. */
    public TaskData data() {
        return data;
    }

    /** The checkpoint's parameter values, as {@link #apply} takes them. */
    public List<Tensor> checkpoint() {
        return checkpoint;
    }

    /** The tokens of every training example, in the split's order, as {@link #apply} takes them. */
    public int[] trainTokens() {
        return data.tokens(data.train());
    }

    @Override
    public TaskShape shape() {
        return model.shape();
    }

    @Override
    public List<TensorInfo> parameters() {
        return model.parameters();
    }

    /** The model's probe points, the default first. */
    @Override
    public List<String> outputs() {
        return model.outputs();
    }

    @Override
    public Activations apply(List<Tensor> parameters, int[] tokens, String output) {
        return model.apply(parameters, tokens, output);
    }

    @Override
    public void close() {
        model.close();
    }
}
