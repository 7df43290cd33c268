package dev.sedge.core.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.Progress;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge import} without a model, on the safetensors trajectory of {@code fixtures/make_fixtures.py}
 * (six checkpoints of a 2-layer MLP, {@code step-N.safetensors}).
 */
class ImportJobTests {

    private static final SafetensorsFormat SAFETENSORS = new SafetensorsFormat();

    @TempDir
    static Path shared;

    private static Path series;
    private static PluginRegistry registry;

    @TempDir
    Path work;

    @BeforeAll
    static void copyTheSafetensorsSeries() throws IOException {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        series = Files.createDirectories(shared.resolve("series"));
        Path traj = Path.of("..", "fixtures", "data", "traj");
        try (Stream<Path> files = Files.list(traj)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
                Files.copy(f, series.resolve(f.getFileName()));
            }
        }
    }

    private static ImportJob.Request request(Path checkpoints, List<Long> steps, Path out) {
        return new ImportJob.Request(checkpoints, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), steps,
                Map.of("first", "layer1.*"), "", Optional.empty(), out);
    }

    @Test
    void importsEveryCheckpointBitForBitWithItsInputsDigests() throws IOException {
        Path out = work.resolve("run");
        ImportJob.Result result = new ImportJob(registry).run(request(series, List.of(), out), Progress.NONE);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), result.steps());
        assertEquals("", result.prefix());
        RunManifest manifest = ManifestFile.read(new RunLayout(out).manifest());
        assertEquals(RunManifest.IMPORTED, manifest.kind());
        assertEquals(6, manifest.provenance().inputs().size());
        assertEquals(List.of("first", "first", "", ""), manifest.layout().stream().map(e -> e.group()).toList());
        for (long step : result.steps()) {
            try (Checkpoint source = SAFETENSORS.open(series.resolve("step-" + step + ".safetensors"));
                 Checkpoint imported = SAFETENSORS.open(new RunLayout(out).checkpoint(step))) {
                assertEquals(source.tensors().stream().map(TensorInfo::name).toList(),
                        imported.tensors().stream().map(TensorInfo::name).toList());
                for (TensorInfo t : source.tensors()) {
                    assertArrayEquals(source.tensor(t.name()).floats(), imported.tensor(t.name()).floats(), t.name());
                }
                assertEquals(Long.toString(step), imported.metadata().get("step"));
            }
        }
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(out), left.toList(), "no hidden work folder is left");
        }
    }

    @Test
    void aNanStopsTheImportNamingTheFileAndLeavesNothing() throws IOException {
        Path copy = Files.createDirectories(work.resolve("nan"));
        for (int s = 0; s < 6; s++) {
            Files.copy(series.resolve("step-" + s + ".safetensors"), copy.resolve("step-" + s + ".safetensors"));
        }
        List<Tensor> tensors;
        try (Checkpoint c = SAFETENSORS.open(copy.resolve("step-3.safetensors"))) {
            tensors = new ArrayList<>(c.readAll());
        }
        Tensor first = tensors.getFirst();
        float[] values = first.floats().clone();
        values[7] = Float.NaN;
        tensors.set(0, Tensor.ofFloats(first.info().name(), DType.F32, first.info().shape(), values));
        SAFETENSORS.writer().orElseThrow().write(copy.resolve("step-3.safetensors"), tensors, Map.of());
        Path out = work.resolve("run");
        NumericException e = assertThrows(NumericException.class,
                () -> new ImportJob(registry).run(request(copy, List.of(), out), Progress.NONE));
        assertTrue(e.getMessage().contains("step-3.safetensors") && e.getMessage().contains("element 7"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(copy), left.toList(), "no hidden work folder is left");
        }
    }

    @Test
    void explicitStepsMustFitTheFilesAndAnExistingRunIsRefused() throws IOException {
        Path out = work.resolve("run");
        assertThrows(ConfigException.class, () -> new ImportJob(registry).run(request(series, List.of(0L, 10L), out),
                Progress.NONE));
        ImportJob.Result result = new ImportJob(registry).run(request(series, List.of(0L, 10L, 20L, 30L, 40L, 50L), out),
                Progress.NONE);
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L), new RunLayout(result.run()).checkpointSteps());
        String before = Files.readString(new RunLayout(out).manifest());
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ImportJob(registry).run(request(series, List.of(), out), Progress.NONE));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(before, Files.readString(new RunLayout(out).manifest()));
    }

    @Test
    void aTrainSplitIsCheckedAgainstTheTaskAndKeptInTheRun() throws IOException {
        Map<String, String> task = Map.of("task.name", "mod-add", "task.p", "5"); // 25 inputs
        java.util.function.BiFunction<String, String, ImportJob.Request> with = (json, name) -> {
            Path file = work.resolve(name + ".json");
            try {
                Files.writeString(file, json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new ImportJob.Request(series, Optional.empty(), Optional.empty(), Optional.empty(), task, List.of(),
                    Map.of(), "", Optional.of(file), work.resolve("run-" + name));
        };
        ImportJob job = new ImportJob(registry);
        ImportJob.Result result = job.run(with.apply("[7, 0, 3]", "good"), Progress.NONE);
        assertArrayEquals(new int[] {0, 3, 7}, TrainSplit.read(new RunLayout(result.run())).orElseThrow().train());
        for (String bad : List.of("[1, 1]", "[25]", "[-1]", "[]", "{\"train\": [1]}", "[0.5]",
                java.util.stream.IntStream.range(0, 25).boxed().toList().toString())) {
            ConfigException e = assertThrows(ConfigException.class, () -> job.run(with.apply(bad, "bad"), Progress.NONE),
                    bad);
            assertTrue(e.getMessage().startsWith("--train "), e.getMessage());
            assertFalse(Files.exists(work.resolve("run-bad")));
        }
        ImportJob.Request noTask = new ImportJob.Request(series, Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), List.of(), Map.of(), "", Optional.of(work.resolve("good.json")), work.resolve("run-none"));
        assertThrows(ConfigException.class, () -> job.run(noTask, Progress.NONE));
    }

    /** Hostile inputs (docs/import.md, "Hostile files"): refused before the run is begun, so nothing is written. */
    @Test
    void aModelWhoseWeightsLieOutsideItsFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path models = Files.createDirectories(work.resolve("models"));
        Path model = Files.write(models.resolve("model.onnx"), dev.sedge.core.model.OnnxProto.model(
                dev.sedge.core.model.OnnxProto.graphWithInitializer(dev.sedge.core.model.OnnxProto.externalTensor(
                        "layer1.weight", "../../../../home/user/.ssh/id_rsa"))));
        Path out = work.resolve("run");
        ImportJob.Request request = new ImportJob.Request(series, Optional.of(model), Optional.empty(), Optional.empty(),
                Map.of(), List.of(), Map.of(), "", Optional.empty(), out);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ImportJob(registry).run(request, Progress.NONE));
        assertTrue(e.getMessage().startsWith(model + ": initializer 'layer1.weight' keeps its values in an external file"
                + " at '../../../../home/user/.ssh/id_rsa', outside the model's folder"), e.getMessage());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(models), left.toList(), "no run and no hidden work folder");
        }
    }

    @Test
    void aCheckpointLinkedFromOutsideTheFolderIsRefusedBeforeAnythingIsWritten(@TempDir Path elsewhere)
            throws IOException {
        Path folder = Files.createDirectories(work.resolve("ckpt"));
        for (int s = 0; s < 5; s++) {
            Files.copy(series.resolve("step-" + s + ".safetensors"), folder.resolve("step-" + s + ".safetensors"));
        }
        Path outside = Files.copy(series.resolve("step-5.safetensors"), elsewhere.resolve("step-5.safetensors"));
        Path link = Files.createSymbolicLink(folder.resolve("step-5.safetensors"), outside);
        Path out = work.resolve("run");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ImportJob(registry).run(request(folder, List.of(), out), Progress.NONE));
        assertTrue(e.getMessage().startsWith(link + " is a link to " + outside.toRealPath() + ", outside the checkpoint"
                + " folder " + folder), e.getMessage());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(folder), left.toList(), "no run and no hidden work folder");
        }
    }

    @Test
    void aFolderWithOneCheckpointIsNoTrajectory() throws IOException {
        Path one = Files.createDirectories(work.resolve("one"));
        Files.copy(series.resolve("step-0.safetensors"), one.resolve("step-0.safetensors"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ImportJob(registry).run(request(one, List.of(), work.resolve("run")), Progress.NONE));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }
}
