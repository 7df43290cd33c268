package dev.sedge.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.formats.testing.Fixtures;
import dev.sedge.formats.testing.Reference;
import dev.sedge.testkit.FormatContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PytorchFormatTests {

    private final PytorchFormat format = new PytorchFormat();

    @Test
    void passesTheFormatContract() {
        List<Path> foreign = Reference.samples().stream().filter(p -> !p.toString().endsWith(".pt")).toList();
        FormatContract.check(format, Fixtures.file("traj/step-0.pt"), foreign);
        FormatContract.check(format, Fixtures.file("nested/nested.pt"), foreign);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsEachTrajectoryStateDictBitIdenticalToItsSafetensors(int step) {
        Reference.assertSameAs(format, Fixtures.file("traj/step-" + step + ".pt"), "traj/step-" + step + ".safetensors", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16", "f64"})
    void readsHalfBfloatAndDoubleStoragesAsTorchWroteThem(String dtype) {
        Reference.assertSameAs(format, Fixtures.file("variants/step-5-" + dtype + ".pt"),
                "variants/step-5-" + dtype + ".safetensors", true);
    }

    @ParameterizedTest
    @CsvSource({"nested/nested.pt, nested/nested.safetensors", "nested/list.pt, nested/list.safetensors",
        "nested/views.pt, nested/views.safetensors"})
    void namesNestedTensorsByTheirDottedPathAndReadsViewsOfSharedStorages(String file, String reference) {
        Reference.assertSameAs(format, Fixtures.file(file), reference, true);
    }

    @Test
    void keepsPlainValuesAsMetadataRenderedAsPythonWould() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("nested/nested.pt"))) {
            Map<String, String> metadata = checkpoint.metadata();
            assertEquals("5", metadata.get("epoch"));
            assertEquals("0.01", metadata.get("config.lr"));
            assertEquals("mlp", metadata.get("config.name"));
            assertEquals("16", metadata.get("config.layers.1"));
            assertEquals("False", metadata.get("config.tied"));
            assertEquals("None", metadata.get("config.extra"));
            assertEquals("1e-08", metadata.get("optimizer.param_groups.0.eps"));
            assertEquals("0.999", metadata.get("optimizer.param_groups.0.betas.1"));
            assertEquals("3", metadata.get("optimizer.param_groups.0.params.3"));
            assertTrue(checkpoint.tensors().contains(new TensorInfo("counts", DType.I64, List.of(5L))));
            assertTrue(checkpoint.tensors().contains(new TensorInfo("optimizer.state.0.exp_avg", DType.F32, List.of(16L, 12L))));
        }
        try (Checkpoint plain = format.open(Fixtures.file("traj/step-0.pt"))) {
            assertEquals(Map.of(), plain.metadata(), "a state dict's _metadata attribute is dropped");
        }
    }

    @Test
    void refusesAMaliciousPickleNamingTheGlobalAndTheFileAndRunsNothing() throws Exception {
        Path marker = Path.of("/tmp/sedge-fixture-pwned");
        Files.deleteIfExists(marker);
        Path file = Fixtures.file("bad/malicious.pt");
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'posix.system'")
                && e.getMessage().contains("never runs code"), e.getMessage());
        assertFalse(Files.exists(marker), "the pickle's command ran");
    }

    @Test
    void refusesAWholePickledModelAdvisingToSaveItsStateDict() {
        Path file = Fixtures.file("bad/whole-module.pt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'__main__.MLP'")
                && e.getMessage().contains("model.state_dict()"), e.getMessage());
    }

    @Test
    void readsNumpyScalarsAsTheNumbersTheyHold() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("nested/numpy-scalars.pt"));
             Checkpoint reference = Reference.SAFETENSORS.open(Fixtures.file("traj/step-5.safetensors"))) {
            assertEquals(reference.tensors().stream().map(t -> new TensorInfo("model." + t.name(), t.dtype(), t.shape()))
                    .toList(), checkpoint.tensors());
            Map<String, String> metadata = checkpoint.metadata();
            assertEquals("0.9375", metadata.get("best_acc"));
            assertEquals("12", metadata.get("epoch"));
            assertEquals("0.25", metadata.get("lr"));
            assertEquals("True", metadata.get("done"));
            assertEquals("200", metadata.get("count"));
            assertEquals("-7", metadata.get("step"));
        }
    }

    @Test
    void readsTorch2sLayoutWithUntypedStoragesAndDtypesByName() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("torch2/step-5.pt"));
             Checkpoint model = Reference.SAFETENSORS.open(Fixtures.file("traj/step-5.safetensors"));
             Checkpoint fp8 = Reference.SAFETENSORS.open(Fixtures.file("torch2/fp8-reference.safetensors"))) {
            for (TensorInfo t : model.tensors()) {
                assertArrayEquals(model.tensor(t.name()).floats(), checkpoint.tensor("model." + t.name()).floats(), t.name());
            }
            Map<String, DType> dtypes = Map.of("e4m3", DType.F8_E4M3, "e5m2", DType.F8_E5M2, "e4m3fnuz", DType.F8_E4M3FNUZ,
                    "e5m2fnuz", DType.F8_E5M2FNUZ, "e8m0", DType.F8_E8M0);
            for (TensorInfo t : fp8.tensors()) {
                assertTrue(checkpoint.tensors().contains(new TensorInfo("fp8." + t.name(), dtypes.get(t.name()), t.shape())));
                assertArrayEquals(fp8.tensor(t.name()).floats(), checkpoint.tensor("fp8." + t.name()).floats(), t.name());
            }
            assertTrue(checkpoint.tensors().contains(new TensorInfo("ids", DType.U16, List.of(4L))));
            assertEquals("torch.float32", checkpoint.metadata().get("config.dtype"));
            assertEquals("5", checkpoint.metadata().get("config.step"));
        }
    }

    @Test
    void refusesATensorSavedWithItsNegativeBitSet() {
        Path file = Fixtures.file("bad/torch2-neg-bit.pt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'neg' = True")
                && e.getMessage().contains("resolve_neg()"), e.getMessage());
    }

    @Test
    void readsTheLegacyFormatBitIdenticalToItsSafetensors() {
        try (Checkpoint legacy = format.open(Fixtures.file("variants/step-5-legacy.pt"));
             Checkpoint reference = Reference.SAFETENSORS.open(Fixtures.file("traj/step-5.safetensors"))) {
            assertEquals(reference.tensors().stream().map(t -> new TensorInfo("model." + t.name(), t.dtype(), t.shape()))
                    .toList(), legacy.tensors());
            for (TensorInfo t : reference.tensors()) {
                assertArrayEquals(reference.tensor(t.name()).floats(), legacy.tensor("model." + t.name()).floats(),
                        t.name());
            }
            assertEquals("5", legacy.metadata().get("epoch"));
        }
        try (Checkpoint empty = format.open(Fixtures.file("bad/legacy.pt"))) {
            assertEquals(List.of(), empty.tensors());
        }
    }

    @Test
    void refusesATruncatedLegacyFileNamingIt(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("variants/step-5-legacy.pt"));
        Path file = dir.resolve("cut.pt");
        Files.write(file, Arrays.copyOf(whole, whole.length - 40));
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void refusesATruncatedArchiveItStillRecognises() {
        Path file = Fixtures.file("bad/truncated.pt");
        assertTrue(format.recognises(file), "the first entry is still <name>/data.pkl");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }
}
