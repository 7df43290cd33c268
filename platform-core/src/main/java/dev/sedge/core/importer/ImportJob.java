package dev.sedge.core.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.Progress;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.io.FileTree;
import dev.sedge.core.model.ExternalData;
import dev.sedge.core.plugin.PluginKind;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.StepFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code sedge import}: a series of checkpoints trained elsewhere made into a run directory of kind
 * {@value RunManifest#IMPORTED} (docs/import.md). The series is ordered by the step in each file's name
 * ({@link StepFile}) or by explicit steps; each checkpoint's model part ({@link ModelPart}) is written as
 * {@code checkpoints/step-NNNNNNNNN.safetensors} in float32, under the graph's initializer names when a
 * model is given ({@link NameMatching}), and the model is copied to {@code model.onnx}. {@code run.json}
 * records the task (for explain), the import settings and the SHA-256 of every input file. Without a model
 * the run serves {@code sedge spectrum} and {@code sedge detect}; with one and a task, {@code sedge explain}.
 *
 * <p>All or nothing: the run is built in a hidden folder beside {@code out} and renamed into place at the
 * end, so a failure (a corrupt checkpoint, a NaN) leaves nothing behind. Stateless.
 */
public final class ImportJob {

    /** The configuration key of the graph input that takes the tokens (empty: the graph's first). */
    public static final String INPUT_KEY = "import.input";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to import.
     *
     * @param checkpoints the folder of checkpoints (any supported format; sub-folders are not read)
     * @param model       the model graph ({@code .onnx}), or empty
     * @param key         the top-level key the model's tensors are under ({@code model}), or empty to choose
     * @param map         a JSON object, graph initializer → checkpoint tensor, or empty
     * @param task        {@code seed} and {@code task.*} settings, or empty for a run without a task
     * @param steps       the step of each checkpoint in file-name order, or empty to read them from the names
     * @param groups      parameter group → glob over the run's or the checkpoint's tensor names, for the layout
     *                    (first match wins), or empty
     * @param input       the graph input that takes the tokens, or empty for its first
     * @param train       a JSON array of the input indices the model trained on ({@link TrainSplit}), or empty for
     *                    the task's own split; needs a task
     * @param out         the run directory to create; it must not exist (or be an empty folder)
     */
    public record Request(Path checkpoints, Optional<Path> model, Optional<String> key, Optional<Path> map,
                          Map<String, String> task, List<Long> steps, Map<String, String> groups, String input,
                          Optional<Path> train, Path out) {
        public Request {
            Objects.requireNonNull(checkpoints, "checkpoints");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(map, "map");
            task = Collections.unmodifiableMap(new TreeMap<>(task));
            steps = List.copyOf(steps);
            groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(out, "out");
        }
    }

    /**
     * What was imported.
     *
     * @param run            the run directory made
     * @param steps          the checkpoints' steps, ascending
     * @param prefix         the wrapper prefix stripped from the checkpoint names ({@code model.}), or empty
     * @param layout         the run's parameters, in checkpoint order
     * @param matching       with a model: which checkpoint tensor each initializer takes; empty without one
     * @param excluded       tensors of each checkpoint not imported (outside the model part, or not floating point)
     */
    public record Result(Path run, List<Long> steps, String prefix, List<LayoutEntry> layout,
                         Optional<NameMatching> matching, int excluded) {
        public Result {
            steps = List.copyOf(steps);
            layout = List.copyOf(layout);
        }

        /** Graph initializer → checkpoint tensor, in checkpoint order; empty without a model. */
        public Map<String, String> matched() {
            return matching.map(NameMatching::matched).orElse(Map.of());
        }

        /** The graph's initializers no checkpoint tensor matched: they keep the graph's values. */
        public List<String> graphOnly() {
            return matching.map(NameMatching::graphOnly).orElse(List.of());
        }

        /** The checkpoint tensors no initializer takes: not imported. */
        public List<String> checkpointOnly() {
            return matching.map(NameMatching::checkpointOnly).orElse(List.of());
        }
    }

    private final PluginRegistry registry;

    /** @param registry reads the checkpoints and the model graph, and supplies the task */
    public ImportJob(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs the import.
     *
     * @param progress told after each checkpoint
     * @throws ConfigException     for a bad task setting or group, an existing {@code out}, or steps that do not fit
     * @throws DataFormatException for an unreadable checkpoint or model, names that do not match, a checkpoint whose
     *                             tensors differ from the first's, a model that keeps tensor values in external
     *                             files, a file of the folder that links out of it
     * @throws NumericException    for a NaN or infinite value in a checkpoint
     */
    public Result run(Request request, Progress progress) {
        Map<String, String> config = new TreeMap<>();
        Optional<TrainSplit> split = Optional.empty();
        if (!request.task().isEmpty()) {
            TaskData data = Experiment.taskData(request.task(), registry, config); // a bad key fails before any work
            split = request.train().map(file -> TrainSplit.parse(file, data));
        } else if (request.train().isPresent()) {
            throw new ConfigException("--train names the inputs of a task, but none is chosen: add --task NAME");
        }
        requireFree(request.out());
        CheckpointFormats formats = CheckpointFormats.of(registry);
        List<StepFile> series = series(request, formats);
        Path first = series.getFirst().file();
        ModelPart part;
        try (Checkpoint checkpoint = formats.open(first)) {
            part = ModelPart.of(checkpoint.tensors(), request.key(), first);
        }
        Optional<NameMatching> matching = request.model().map(model -> match(model, part, request, formats, first));
        Map<String, String> sources = new LinkedHashMap<>(); // run name -> checkpoint name, in checkpoint order
        if (matching.isPresent()) {
            sources.putAll(matching.get().matched());
        } else {
            part.tensors().forEach(t -> sources.put(t.name(), t.name()));
        }
        List<LayoutEntry> layout = layout(part, sources, request.groups());

        Path work = request.out().toAbsolutePath().normalize().resolveSibling(
                "." + request.out().getFileName() + ".importing-" + ProcessHandle.current().pid());
        try {
            FileTree.delete(work);
            RunLayout run = new RunLayout(work);
            Files.createDirectories(run.checkpoints());
            List<Path> inputs = new ArrayList<>();
            for (int i = 0; i < series.size(); i++) {
                StepFile file = series.get(i);
                progress.update(i, series.size(), "step " + file.step());
                convert(file, part, layout, sources, formats, run);
                inputs.add(file.file());
            }
            if (request.model().isPresent()) {
                Files.copy(request.model().get(), run.model());
                inputs.add(request.model().get());
            }
            if (split.isPresent()) {
                split.get().write(run);
                inputs.add(request.train().orElseThrow());
            }
            record(request, series, formats, part, layout, config, inputs, run);
            Files.move(work, request.out(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(work);
            if (e instanceof FileAlreadyExistsException || Files.exists(request.out())) {
                throw new ConfigException(request.out() + " appeared while importing; nothing was written. Choose"
                        + " another --out");
            }
            throw new UncheckedIOException("cannot write the run " + request.out() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
        progress.update(series.size(), series.size(), "done");
        return new Result(request.out(), series.stream().map(StepFile::step).toList(), part.prefix(), layout,
                matching, part.excluded());
    }

    private static void requireFree(Path out) {
        if (Files.isDirectory(out)) {
            try (Stream<Path> children = Files.list(out)) {
                if (children.findAny().isEmpty()) {
                    Files.delete(out); // an empty folder is replaced by the run
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + out + ": " + e.getMessage(), e);
            }
        }
        if (Files.exists(out)) {
            throw new ConfigException(out + " already exists; choose another --out (an import never writes into"
                    + " an existing run)");
        }
    }

    /** The checkpoints in step order: from the file names, or {@code steps} in file-name order. */
    private static List<StepFile> series(Request request, CheckpointFormats formats) {
        Path folder = request.checkpoints();
        if (!Files.isDirectory(folder)) {
            throw new ConfigException("--checkpoints " + folder + " is not a folder");
        }
        List<StepFile> named = request.steps().isEmpty() ? StepFile.list(folder, formats)
                : StepFile.list(folder, formats, request.steps());
        if (named.size() < 2) {
            throw new DataFormatException(folder + " holds " + named.size() + " checkpoint" + (named.size() == 1
                    ? "" : "s") + " in a supported format; a trajectory needs at least 2 (sedge plugins lists the"
                    + " formats)");
        }
        return named;
    }

    private NameMatching match(Path model, ModelPart part, Request request, CheckpointFormats formats, Path first) {
        if (!Files.isRegularFile(model) || !model.getFileName().toString().endsWith(".onnx")) {
            throw new ConfigException("--model " + model + " is not an .onnx file");
        }
        ExternalData.refuse(model); // before anything reads it: the run's copy is what ONNX Runtime will open
        List<TensorInfo> graph;
        try (Checkpoint initializers = formats.open(model)) {
            graph = initializers.tensors().stream().filter(t -> t.dtype().isFloating()).toList();
        }
        Map<String, String> explicit = request.map().map(ImportJob::readMap).orElse(Map.of());
        return NameMatching.of(graph, part.tensors(), explicit, model + " and " + first);
    }

    private static Map<String, String> readMap(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("--map " + file + " is not readable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("--map " + file + " must hold one JSON object, graph initializer name →"
                    + " checkpoint tensor name");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (var field : root.properties()) {
            if (!field.getValue().isTextual()) {
                throw new ConfigException("--map " + file + ": the value of '" + field.getKey() + "' must be a"
                        + " string, a checkpoint tensor name");
            }
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    /**
     * The run's parameters, in checkpoint order, each in the first group whose glob matches its name in the run
     * or in the checkpoint.
     *
     * @param sources run name → checkpoint name: with a model the graph's names, else the checkpoint's
     */
    private static List<LayoutEntry> layout(ModelPart part, Map<String, String> sources, Map<String, String> groups) {
        Map<String, NameGlob> globs = new LinkedHashMap<>();
        groups.forEach((name, glob) -> {
            if (!dev.sedge.api.Plugin.NAME.matcher(name).matches()) {
                throw new ConfigException("--group " + name + "=" + glob + ": a group's name is lower-kebab-case");
            }
            globs.put(name, new NameGlob(glob));
        });
        Map<String, String> names = sources;
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        part.tensors().forEach(t -> byName.put(t.name(), t));
        List<LayoutEntry> layout = new ArrayList<>();
        Map<String, Integer> members = new LinkedHashMap<>();
        globs.keySet().forEach(g -> members.put(g, 0));
        names.forEach((runName, stored) -> {
            List<String> in = globs.entrySet().stream()
                    .filter(e -> e.getValue().matches(runName) || e.getValue().matches(stored))
                    .map(Map.Entry::getKey).toList();
            in.forEach(group -> members.merge(group, 1, Integer::sum));
            layout.add(new LayoutEntry(runName, byName.get(stored).shape(), DType.F32, in));
        });
        members.forEach((group, count) -> {
            if (count == 0) {
                throw new ConfigException("--group " + group + "=" + groups.get(group) + " matches no imported tensor;"
                        + " they are " + names.keySet().stream().limit(12).toList());
            }
        });
        return layout;
    }

    /** One checkpoint's model part, checked and written in float32 under the run's names. */
    private static void convert(StepFile file, ModelPart part, List<LayoutEntry> layout, Map<String, String> sources,
                                CheckpointFormats formats, RunLayout run) {
        Map<String, String> stored = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        try (Checkpoint checkpoint = formats.open(file.file())) {
            Map<String, TensorInfo> present = new LinkedHashMap<>();
            checkpoint.tensors().forEach(t -> present.put(t.name(), t));
            for (LayoutEntry entry : layout) {
                String name = part.stored(sources.get(entry.name()));
                TensorInfo info = present.get(name);
                if (info == null || !info.shape().equals(entry.shape())) {
                    throw new DataFormatException(file.file() + ": tensor '" + name + "' is " + (info == null
                            ? "missing" : "of shape " + info.shape()) + ", while the first checkpoint of the series"
                            + " has it with shape " + entry.shape() + "; every checkpoint must hold the same model");
                }
                float[] values = new float[Math.toIntExact(info.elementCount())];
                checkpoint.read(name, values, 0);
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new NumericException(file.file() + ": tensor '" + name + "' holds " + values[i]
                                + " at element " + i + "; a trajectory with non-finite values has no spectrum."
                                + " Import the checkpoints before it (move this one out of the folder)");
                    }
                }
                tensors.add(Tensor.ofFloats(entry.name(), DType.F32, entry.shape(), values));
            }
            stored.put("step", Long.toString(file.step()));
            stored.put("source", file.file().getFileName().toString());
        }
        new SafetensorsFormat().writer().orElseThrow().write(run.checkpoint(file.step()), tensors, stored);
    }

    private void record(Request request, List<StepFile> series, CheckpointFormats formats, ModelPart part,
                        List<LayoutEntry> layout, Map<String, String> config, List<Path> inputs, RunLayout run) {
        Map<String, String> plugins = new TreeMap<>(formats.versions(series));
        if (config.containsKey("task.name")) {
            registry.entries(PluginKind.TASK).stream().filter(e -> e.name().equals(config.get("task.name")))
                    .findFirst().ifPresent(e -> plugins.put(e.id(), e.version()));
        }
        config.put("import.checkpoints", request.checkpoints().toAbsolutePath().normalize().toString());
        config.put("import.key", part.prefix().isEmpty() ? "" : part.prefix().substring(0, part.prefix().length() - 1));
        request.model().ifPresent(m -> config.put("import.model", m.toAbsolutePath().normalize().toString()));
        request.map().ifPresent(m -> config.put("import.map", m.toAbsolutePath().normalize().toString()));
        request.train().ifPresent(t -> config.put("import.train", t.toAbsolutePath().normalize().toString()));
        config.put(INPUT_KEY, request.input());
        if (!request.groups().isEmpty()) { // the run's default group for spectrum, detect and explain
            config.put("spectrum.group", request.groups().keySet().iterator().next());
        }
        long seed = Long.parseLong(config.getOrDefault("seed", "0"));
        Map<String, String> digests = new TreeMap<>();
        inputs.forEach(file -> digests.put(file.toAbsolutePath().normalize().toString(), InputDigests.sha256(file)));
        Provenance provenance = Provenance.now(SedgeVersion.current(), plugins, config, seed, digests);
        ManifestFile.write(run.manifest(), RunManifest.of(RunManifest.IMPORTED, provenance, layout));
    }

    private static void deleteQuietly(Path root) {
        try {
            FileTree.delete(root);
        } catch (IOException ignored) {
            // best effort: the hidden folder is named after this process, and a later import replaces it
        }
    }
}
