package dev.sedge.core.model;

import static dev.sedge.core.model.OnnxProto.concat;
import static dev.sedge.core.model.OnnxProto.externalTensor;
import static dev.sedge.core.model.OnnxProto.field;
import static dev.sedge.core.model.OnnxProto.graphWithInitializer;
import static dev.sedge.core.model.OnnxProto.model;
import static dev.sedge.core.model.OnnxProto.node;
import static dev.sedge.core.model.OnnxProto.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import dev.sedge.core.Progress;
import dev.sedge.core.importer.ImportJob;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX models that keep tensor values in external files, above all files outside the model's folder
 * (docs/import.md, "Hostile files"): refused wherever the tensor is, naming the file, the tensor and the location,
 * and on the way to ONNX Runtime before the engine is called.
 */
class ExternalDataTests {

    private static final Path FIXTURES = Path.of("..", "fixtures", "data").toAbsolutePath().normalize();

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"../secret.bin", "../../../../etc/passwd", "sub/../../secret.bin", "/etc/passwd",
        "C:\\Windows\\win.ini", "..\\secret.bin"})
    void refusesAnInitializerWhoseLocationLeavesTheModelsFolder(String location) throws IOException {
        Path file = write(model(graphWithInitializer(externalTensor("w", location))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(file));
        assertEquals(file + ": initializer 'w' keeps its values in an external file at '" + location + "', outside the"
                + " model's folder (" + file.getParent() + "). sedge reads self-contained models only and opens no file"
                + " a model names: the model is refused before ONNX Runtime opens it. Save it with its weights inside:"
                + " in Python, onnx.save_model(onnx.load(path), new_path, save_as_external_data=False)", e.getMessage());
    }

    @Test
    void refusesAnExternalFileBesideTheModelToo() throws IOException {
        // ONNX Runtime, given the model's bytes, would read weights.bin from the working directory
        Path file = write(model(graphWithInitializer(externalTensor("w", "weights.bin"))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(file));
        assertTrue(e.getMessage().startsWith(file + ": initializer 'w' keeps its values in an external file"
                + " 'weights.bin'. sedge reads self-contained models only"), e.getMessage());
    }

    @Test
    void findsExternalDataWhereverTheModelKeepsATensor() throws IOException {
        byte[] tensor = externalTensor("", "../secret.bin");
        byte[] constant = node("const", "Constant", "value", 5, tensor);
        byte[] branch = graphWithInitializer(externalTensor("w", "../secret.bin"));
        byte[] sparse = concat(field(1, externalTensor("v", "../secret.bin")), field(2, new byte[0]));
        byte[] function = concat(text(1, "f"), field(7, node("fc", "Constant", "value", 5, tensor)));
        Map<String, byte[]> models = Map.of(
                "attribute 'value' of node 'const'", model(field(1, constant)),
                "initializer 'w'", model(field(1, node("if", "If", "then_branch", 6, branch))),
                "a sparse initializer (tensor 'v')", model(field(15, sparse)),
                "attribute 'value' of node 'fc'", concat(OnnxProto.varint(1, 7), field(7, new byte[0]), field(25, function)),
                "attribute 'tensors' of node 'seq'", model(field(1, node("seq", "SequenceConstruct", "tensors", 10, tensor))));
        for (Map.Entry<String, byte[]> hostile : models.entrySet()) {
            Path file = write(hostile.getValue());
            DataFormatException e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(file),
                    hostile.getKey());
            assertTrue(e.getMessage().startsWith(file + ": " + hostile.getKey() + " keeps its values in an external file"
                    + " at '../secret.bin', outside the model's folder"), e.getMessage());
        }
    }

    @Test
    void refusesAnExternalLocationFlagWithNoLocation() throws IOException {
        Path file = write(model(graphWithInitializer(externalTensor("w", null))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(file));
        assertTrue(e.getMessage().startsWith(file + ": initializer 'w' keeps its values in an external file it does not"
                + " name."), e.getMessage());
    }

    @Test
    void refusesAModelItCannotWalkRatherThanLetTheEngineReadIt() throws IOException {
        byte[] whole = model(graphWithInitializer(externalTensor("w", "../secret.bin")));
        Path cut = write(java.util.Arrays.copyOf(whole, whole.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(cut));
        assertTrue(e.getMessage().startsWith(cut + ": the model is not a valid ONNX file (invalid protobuf"),
                e.getMessage());
        byte[] deep = graphWithInitializer(externalTensor("w", "inside.bin"));
        for (int i = 0; i <= ExternalData.MAX_DEPTH; i++) {
            deep = field(1, node("if" + i, "If", "then_branch", 6, deep));
        }
        Path nested = write(model(deep));
        e = assertThrows(DataFormatException.class, () -> ExternalData.refuse(nested));
        assertTrue(e.getMessage().contains("its graphs nest deeper than " + ExternalData.MAX_DEPTH + " levels"),
                e.getMessage());
    }

    @Test
    void passesSelfContainedModels() {
        ExternalData.refuse(FIXTURES.resolve("onnx/mlp.onnx"));
        ExternalData.refuse(FIXTURES.resolve("onnx/typed-fields.onnx"));
        ExternalData.refuse(FIXTURES.resolve("import/model.onnx"));
    }

    /** An imported run whose model.onnx has been swapped for a hostile one: refused before the engine is called. */
    @Test
    void refusesTheRunsModelBeforeTheEngineOpensIt() throws IOException {
        PluginRegistry registry = PluginRegistry.load(folder.resolve("no-plugins"));
        Path series = Files.createDirectories(folder.resolve("series"));
        try (Stream<Path> files = Files.list(FIXTURES.resolve("traj"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
                Files.copy(f, series.resolve(f.getFileName()));
            }
        }
        Path run = folder.resolve("run");
        new ImportJob(registry).run(new ImportJob.Request(series, Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("task.name", "mod-add", "task.p", "5"), List.of(), Map.of(), "", Optional.empty(), run),
                Progress.NONE);
        RunLayout layout = new RunLayout(run);
        Engine engine = new Engine();

        Files.copy(FIXTURES.resolve("onnx/mlp.onnx"), layout.model()); // a clean model reaches the engine
        IllegalStateException reached = assertThrows(IllegalStateException.class, () -> CheckpointModel.openImported(
                run, ManifestFile.read(layout.manifest()), registry, 0, engine));
        assertEquals("the engine was called", reached.getMessage());
        assertTrue(engine.called);

        engine.called = false;
        Files.write(layout.model(), model(graphWithInitializer(externalTensor("layer1.weight", "../../secret.bin"))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CheckpointModel.openImported(
                run, ManifestFile.read(layout.manifest()), registry, 0, engine));
        assertTrue(e.getMessage().startsWith(layout.model() + ": initializer 'layer1.weight' keeps its values in an"
                + " external file at '../../secret.bin', outside the model's folder"), e.getMessage());
        assertFalse(engine.called, "the engine was given the model");
    }

    private Path write(byte[] model) throws IOException {
        Path dir = Files.createDirectories(folder.resolve("models"));
        return Files.write(dir.resolve("model.onnx"), model);
    }

    /** Stands for ONNX Runtime: says whether it was called, and goes no further. */
    private static final class Engine implements GraphModelFactory {
        boolean called;

        @Override
        public ModelFunction open(Path file, List<TensorInfo> parameters, TaskShape shape, String input) {
            called = true;
            throw new IllegalStateException("the engine was called");
        }
    }
}
