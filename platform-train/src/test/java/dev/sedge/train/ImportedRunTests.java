package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.model.Activations;
import dev.sedge.core.Progress;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.importer.ImportJob;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sedge import} end to end on a run trained by PyTorch 1.13 ({@code fixtures/make_import_fixtures.py}):
 * a one-layer transformer on (a + b) mod 11, checkpoints every 20 steps wrapped as {"model", "step", "lr"},
 * and its ONNX export whose initializers carry a {@code net.} prefix the state dict lacks. The logits and
 * the hidden state run by ONNX Runtime at every checkpoint against PyTorch's; the spectrum of the
 * attention weights against numpy's SVD; explain on the imported run.
 */
class ImportedRunTests {

    private static final Path FIXTURE = Path.of("../fixtures/data/import");
    /** Relative to the largest magnitude of the compared values. */
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static JsonNode expected;
    private static Path train;
    private static ImportJob.Result imported;

    @BeforeAll
    static void importFixture() throws IOException {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        expected = new ObjectMapper().readTree(FIXTURE.resolve("expected.json").toFile());
        train = FIXTURE.resolve("train.json"); // the inputs the script trained on, as a researcher saves them
        imported = new ImportJob(registry).run(request(shared.resolve("run"), ""), Progress.NONE);
    }

    private static ImportJob.Request request(Path out, String input) {
        return new ImportJob.Request(FIXTURE.resolve("ckpt"), Optional.of(FIXTURE.resolve("model.onnx")),
                Optional.empty(), Optional.empty(), Map.of("task.name", "mod-add", "task.p", "11"), List.of(),
                Map.of("attn", "blocks.*.attn.*.weight"), input, Optional.of(train), out);
    }

    @Test
    void importsEveryCheckpointUnderTheGraphsNames() {
        RunManifest manifest = ManifestFile.read(new RunLayout(imported.run()).manifest());
        assertEquals(RunManifest.IMPORTED, manifest.kind());
        assertEquals("model.", imported.prefix());
        List<Long> steps = expected.get("checkpoint_steps").valueStream().map(JsonNode::asLong).toList();
        assertEquals(steps, imported.steps());
        assertEquals(steps, new RunLayout(imported.run()).checkpointSteps());
        JsonNode keys = expected.get("state_dict");
        assertEquals(keys.size(), manifest.layout().size());
        for (int i = 0; i < keys.size(); i++) {
            LayoutEntry entry = manifest.layout().get(i);
            assertEquals("net." + keys.get(i).get(0).asText(), entry.name());
            assertEquals(keys.get(i).get(0).asText(), imported.matched().get(entry.name()));
            assertEquals(entry.name().matches("net\\.blocks\\.\\d+\\.attn\\..*\\.weight") ? "attn" : "", entry.group());
        }
        assertEquals(List.of(), imported.graphOnly());
        assertEquals(List.of(), imported.checkpointOnly());
        assertEquals("mod-add", manifest.provenance().config().get("task.name"));
        // every input file is recorded with its digest: 11 checkpoints and the model
        assertEquals(13, manifest.provenance().inputs().size()); // and the train split
        assertTrue(Files.isRegularFile(new RunLayout(imported.run()).model()));
    }

    @Test
    void onnxRuntimeGivesPyTorchsLogitsAndHiddenStateAtEveryCheckpoint() {
        int p = expected.get("p").asInt();
        int[] tokens = pairs(expected.get("probe_indices").valueStream().mapToInt(JsonNode::asInt).toArray(), p);
        int[] all = pairs(java.util.stream.IntStream.range(0, p * p).toArray(), p);
        for (long step : imported.steps()) {
            JsonNode at = expected.get("checkpoints").get(Long.toString(step));
            try (CheckpointModel model = CheckpointModel.open(imported.run(), registry, step)) {
                assertEquals(List.of("logits", "residual"), model.outputs());
                for (String output : model.outputs()) {
                    Activations rows = model.apply(model.checkpoint(), tokens, output);
                    assertClose(at.get(output), rows, "step " + step + " " + output);
                    Activations every = model.apply(model.checkpoint(), all, output);
                    double sum = 0;
                    for (float v : every.values()) {
                        sum += v;
                    }
                    double reference = at.get(output + "_sum").asDouble();
                    assertEquals(reference, sum, TOLERANCE * every.values().length * scale(every.values()),
                            "step " + step + " " + output + " sum over all inputs");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model-flat.onnx", "model-positions.onnx"})
    void aGraphThatTakesOneHotVectorsGetsThemAndGivesPyTorchsLogits(String graph) throws IOException {
        Path fixture = FIXTURE.resolve("one-hot");
        JsonNode reference = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
        Path run = new ImportJob(registry).run(new ImportJob.Request(fixture.resolve("ckpt"),
                Optional.of(fixture.resolve(graph)), Optional.empty(), Optional.empty(),
                Map.of("task.name", "mod-add", "task.p", "11"), List.of(), Map.of(), "", Optional.empty(),
                shared.resolve("one-hot-" + graph)), Progress.NONE).run();
        int[] tokens = pairs(reference.get("probe_indices").valueStream().mapToInt(JsonNode::asInt).toArray(),
                reference.get("p").asInt());
        for (long step : new RunLayout(run).checkpointSteps()) {
            try (CheckpointModel model = CheckpointModel.open(run, registry, step)) {
                assertClose(reference.get("checkpoints").get(Long.toString(step)).get("logits"),
                        model.apply(model.checkpoint(), tokens, "logits"), graph + " step " + step);
            }
        }
    }

    @Test
    void theSpectrumOfTheAttentionWeightsIsNumpysSvd() {
        Path out = shared.resolve("spectrum.csv");
        SpectrumJob.Result result = new SpectrumJob(CheckpointFormats.of(registry)).run(new SpectrumJob.Request(
                imported.run(), "attn", SpectralOptions.of(5), out, true), Progress.NONE);
        WindowSpectrum last = result.last().orElseThrow();
        assertEquals(200, last.step());
        assertEquals(expected.get("spectrum").get("dimension").asInt(), result.dimension());
        double[] sigma = last.sigma();
        JsonNode reference = expected.get("spectrum").get("singular_values");
        for (int j = 0; j < reference.size(); j++) {
            assertEquals(reference.get(j).asDouble(), sigma[j], TOLERANCE * reference.get(0).asDouble(), "sigma_" + (j + 1));
        }
        WindowSpectrum centered = new SpectrumJob(CheckpointFormats.of(registry)).run(new SpectrumJob.Request(
                imported.run(), "attn", SpectralOptions.of(5).withCentering(true), out, true), Progress.NONE)
                .last().orElseThrow();
        JsonNode centeredReference = expected.get("spectrum").get("centered_singular_values");
        for (int j = 0; j < centeredReference.size() - 1; j++) { // the last is the rank centering removes
            assertEquals(centeredReference.get(j).asDouble(), centered.sigma()[j],
                    TOLERANCE * centeredReference.get(0).asDouble(), "centered sigma_" + (j + 1));
        }
    }

    @Test
    void explainRunsOnTheImportedRun() {
        ExplainJob.Result result = new ExplainJob(registry).run(new ExplainJob.Request(imported.run(), 200, "attn",
                SpectralOptions.of(5), 2, "residual", List.of("fourier"), Map.of(), 19, 2), Progress.NONE);
        assertTrue(Files.isRegularFile(result.file()));
        assertEquals("residual", result.probe());
        assertEquals(2, result.directions().size());
        assertEquals("none", result.split().source());
        assertTrue(result.split().reason().contains("imported"), result.split().reason());
        assertFalse(result.directions().getFirst().scores().isEmpty());
        // the test split is the inputs the script did not train on: its test accuracy at step 200 is the script's
        assertEquals(expected.get("checkpoints").get("200").get("test_accuracy").asDouble(),
                result.ablation().accuracy(), 1e-12);
    }

    @Test
    void anExistingRunIsNeverWrittenInto() {
        assertThrows(ConfigException.class, () -> new ImportJob(registry).run(request(imported.run(), ""),
                Progress.NONE));
    }

    @Test
    void aModelWithoutTheTokenInputIsRefusedNamingItsInputs() {
        Path run = new ImportJob(registry).run(request(shared.resolve("other-input"), "ids"), Progress.NONE).run();
        DataFormatException e = assertThrows(DataFormatException.class, () -> CheckpointModel.open(run, registry, 0));
        assertTrue(e.getMessage().contains("no input 'ids'") && e.getMessage().contains("tokens"), e.getMessage());
    }

    /** The tokens (a, b) of the inputs {@code indices}, index = a·p + b. */
    private static int[] pairs(int[] indices, int p) {
        int[] tokens = new int[indices.length * 2];
        for (int i = 0; i < indices.length; i++) {
            tokens[2 * i] = indices[i] / p;
            tokens[2 * i + 1] = indices[i] % p;
        }
        return tokens;
    }

    private static void assertClose(JsonNode reference, Activations rows, String what) {
        float[] values = rows.values();
        double scale = 0;
        for (JsonNode row : reference) {
            for (JsonNode v : row) {
                scale = Math.max(scale, Math.abs(v.asDouble()));
            }
        }
        int width = rows.width();
        assertEquals(reference.get(0).size(), width, what + ": width");
        for (int i = 0; i < reference.size(); i++) {
            for (int c = 0; c < width; c++) {
                assertEquals(reference.get(i).get(c).asDouble(), values[i * width + c], TOLERANCE * scale,
                        what + ": row " + i + ", column " + c);
            }
        }
    }

    private static double scale(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
