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
import dev.sedge.core.importer.ImportJob;
import dev.sedge.core.importer.TrainSplit;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.core.trajectory.StepFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The model of a stored run as it was at one of its checkpoints: the checkpoint's parameter values bit
 * for bit, the task's data, and the model as a {@link ModelFunction} whose outputs are its probe points.
 * For a run sedge trained, the run's own configuration ({@code run.json}) resolved against the plugins,
 * the data as training made it, and the model rebuilt by a {@link ModelFactory}; for an imported run
 * ({@code sedge import --model}), the task recorded at import (with the train split given there, if any)
 * and the run's {@code model.onnx} run by a
 * {@link GraphModelFactory}, the graph's outputs as its probe points. What the analyses of a stored run
 * read activations through; a {@link ModelFunction} itself, by delegation.
 *
 * <p>Owns the function the factory made; {@link #close()} frees it. Confined to the thread that opened it.
 */
public final class CheckpointModel implements ModelFunction {

    private final Optional<Experiment> experiment;
    private final long step;
    private final List<Tensor> checkpoint;
    private final TaskData data;
    private final ModelFunction model;

    private CheckpointModel(Optional<Experiment> experiment, long step, List<Tensor> checkpoint, TaskData data,
                            ModelFunction model) {
        this.experiment = experiment;
        this.step = step;
        this.checkpoint = List.copyOf(checkpoint);
        this.data = data;
        this.model = model;
    }

    /**
     * Opens the run in {@code runDirectory} at the checkpoint of {@code step}, with the model factories
     * found on the module path (the trainer's for a trained run, ONNX Runtime's for an imported one).
     *
     * @throws ConfigException     if no module provides the factory the run needs, or the recorded
     *                             configuration no longer resolves
     * @throws DataFormatException if the folder is not a run, has no checkpoint at {@code step} (the message
     *                             lists the steps it has), was imported without a model or a task, or the
     *                             checkpoint does not fit the model
     */
    public static CheckpointModel open(Path runDirectory, PluginRegistry registry, long step) {
        RunManifest manifest = ManifestFile.read(new RunLayout(runDirectory).manifest());
        if (manifest.kind().equals(RunManifest.IMPORTED)) {
            GraphModelFactory factory = ServiceLoader.load(GraphModelFactory.class).findFirst().orElseThrow(() ->
                    new ConfigException("no module runs model graphs here (dev.sedge.onnx does, over ONNX"
                            + " Runtime): the installation is incomplete; reinstall sedge"));
            return openImported(runDirectory, manifest, registry, step, factory);
        }
        ModelFactory factory = ServiceLoader.load(ModelFactory.class).findFirst().orElseThrow(() ->
                new ConfigException("no module builds models here (dev.sedge.train provides them): the"
                        + " installation is incomplete; reinstall sedge"));
        return open(runDirectory, registry, step, factory);
    }

    /**
     * Opens the trained run in {@code runDirectory} at the checkpoint of {@code step}, its model built by
     * {@code factory}.
     *
     * @throws DataFormatException as {@link #open(Path, PluginRegistry, long)}, and for a run of another kind
     * @throws ConfigException     if the recorded configuration no longer resolves
     */
    public static CheckpointModel open(Path runDirectory, PluginRegistry registry, long step, ModelFactory factory) {
        RunLayout layout = new RunLayout(runDirectory);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        if (!manifest.kind().equals(RunManifest.TRAINED)) {
            throw new DataFormatException(layout.manifest() + " describes a run of kind '" + manifest.kind()
                    + "'; only a run sedge trained (kind '" + RunManifest.TRAINED + "') can be rebuilt by sedge's"
                    + " own models");
        }
        Path file = checkpointFile(layout, step);
        Experiment experiment = Experiment.resolve(new ConfigSource(manifest.provenance().config()), registry);
        TaskData data = experiment.data();
        List<Tensor> values = read(file);
        ModelFunction model = factory.create(experiment);
        return fitted(Optional.of(experiment), step, values, data, model, file, "run.json edited");
    }

    /**
     * Opens the imported run in {@code runDirectory} at the checkpoint of {@code step}: its {@code model.onnx}
     * run by {@code factory} on the task recorded at import. The model is checked for external data
     * ({@link ExternalData}) before {@code factory} sees it.
     *
     * @throws DataFormatException as {@link #open(Path, PluginRegistry, long)}, and if the model keeps tensor values
     *                             in external files
     */
    static CheckpointModel openImported(Path runDirectory, RunManifest manifest, PluginRegistry registry, long step,
                                        GraphModelFactory factory) {
        RunLayout layout = new RunLayout(runDirectory);
        Map<String, String> config = manifest.provenance().config();
        if (!Files.isRegularFile(layout.model())) {
            throw new DataFormatException("run " + runDirectory + " was imported without a model: its checkpoints"
                    + " serve sedge spectrum and detect, but this needs the model itself. Import it again with"
                    + " --model FILE.onnx (docs/import.md)");
        }
        ExternalData.refuse(layout.model()); // before the engine opens it: it would read files the model names
        Map<String, String> settings = new TreeMap<>();
        config.forEach((key, value) -> {
            if (key.equals("seed") || key.startsWith("task.")) {
                settings.put(key, value);
            }
        });
        if (!settings.containsKey("task.name")) {
            throw new DataFormatException("run " + runDirectory + " was imported without a task: the model's inputs"
                    + " are unknown. Import it again with --task NAME (and --set task.KEY=VALUE; docs/import.md)");
        }
        Path file = checkpointFile(layout, step);
        TaskData task = Experiment.taskData(settings, registry, new TreeMap<>());
        TaskData data = TrainSplit.read(layout).map(s -> s.applyTo(task, layout.split())).orElse(task);
        List<Tensor> values = read(file);
        List<TensorInfo> parameters = manifest.layout().stream()
                .map(e -> new TensorInfo(e.name(), e.dtype(), e.shape())).toList();
        TaskShape shape = TaskShape.of(data);
        ModelFunction model = factory.open(layout.model(), parameters, shape,
                config.getOrDefault(ImportJob.INPUT_KEY, ""));
        return fitted(Optional.empty(), step, values, data, model, file, "the checkpoint rewritten");
    }

    private static Path checkpointFile(RunLayout layout, long step) {
        Path file = layout.checkpoint(step);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("run " + layout.root() + " has no checkpoint at step " + step + " ("
                    + file.getFileName() + "); its checkpoints are at steps " + layout.checkpointSteps()
                    + ". Train with a smaller train.checkpoint-every to keep more of them");
        }
        StepFile.requireInside(layout.checkpoints(), file);
        return file;
    }

    private static List<Tensor> read(Path file) {
        try (Checkpoint stored = new SafetensorsFormat().open(file)) {
            return stored.readAll();
        }
    }

    /** The model over {@code values}, once every parameter it takes is found there with its shape; else closed. */
    private static CheckpointModel fitted(Optional<Experiment> experiment, long step, List<Tensor> values,
                                          TaskData data, ModelFunction model, Path file, String cause) {
        try {
            requireFits(model, values, file, cause);
            return new CheckpointModel(experiment, step, values, data, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Every parameter of the model has a value of its shape in the checkpoint. */
    private static void requireFits(ModelFunction model, List<Tensor> values, Path file, String cause) {
        Map<String, TensorInfo> stored = values.stream().map(Tensor::info)
                .collect(Collectors.toMap(TensorInfo::name, Function.identity()));
        for (TensorInfo wanted : model.parameters()) {
            TensorInfo found = stored.get(wanted.name());
            if (found == null || !found.shape().equals(wanted.shape())) {
                throw new DataFormatException("checkpoint " + file + " does not fit the run's model: parameter '"
                        + wanted.name() + "' of shape " + wanted.shape() + " is "
                        + (found == null ? "missing" : "stored with shape " + found.shape())
                        + "; was the file replaced, or " + cause + "?");
            }
        }
    }

    /** The checkpoint's step. */
    public long step() {
        return step;
    }

    /** The run's configuration, resolved against the plugins; empty for an imported run (it has no optimizer). */
    public Optional<Experiment> experiment() {
        return experiment;
    }
    /** The task's data, as training made it (for an imported run, as the task makes it): inputs, labels, split. */
    public TaskData data() {
        return data;
    }

    /** The checkpoint's parameter values, as {@link #apply} takes them. */
    public List<Tensor> checkpoint() {
        return checkpoint;
    }

    /** Every training example, in the split's order, as {@link #apply} takes them ({@link TaskData#modelInputs}). */
    public int[] trainInputs() {
        return data.modelInputs(data.train());
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
