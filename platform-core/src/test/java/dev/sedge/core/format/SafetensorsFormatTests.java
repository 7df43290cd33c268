package dev.sedge.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.testkit.FormatContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsFormatTests {

    /** Sums of a few hundred float32 values accumulated in double: far below this. */
    private static final double SUM_TOLERANCE = 1e-9;

    private final SafetensorsFormat format = new SafetensorsFormat();

    @TempDir
    Path folder;

    @Test
    void passesTheFormatContract() {
        List<String> names = FormatContract.check(format, Fixtures.file("traj/step-0.safetensors"), List.of(
                Fixtures.file("traj/step-0.npz"), Fixtures.file("traj/step-0.pt"), Fixtures.file("onnx/mlp.onnx"),
                Fixtures.file("variants/layer1-weight.npy"), Fixtures.file("bad/legacy.pt")));
        assertEquals(List.of("layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"traj/step-0.safetensors", "traj/step-3.safetensors", "traj/step-5.safetensors",
        "variants/step-5-f16.safetensors", "variants/step-5-bf16.safetensors", "variants/step-5-f64.safetensors",
        "nested/nested.safetensors", "nested/list.safetensors", "nested/views.safetensors"})
    void readsWhatPythonWroteWithTheExpectedShapesFirstValuesAndSums(String relative) {
        JsonNode expected = Fixtures.expected().get(relative);
        try (Checkpoint checkpoint = format.open(Fixtures.file(relative))) {
            assertEquals(expected.size(), checkpoint.tensors().size());
            for (TensorInfo info : checkpoint.tensors()) {
                JsonNode e = expected.get(info.name());
                assertEquals(e.get("dtype").asText(), info.dtype().name(), info.name());
                List<Long> shape = new ArrayList<>();
                e.get("shape").forEach(d -> shape.add(d.asLong()));
                assertEquals(shape, info.shape(), info.name());
                if (!info.dtype().isFloating()) {
                    continue;
                }
                double[] values = checkpoint.tensor(info.name()).doubles();
                assertEquals(e.get("first").asDouble(), values[0], 0.0, info.name());
                double sum = 0;
                for (double v : values) {
                    sum += v;
                }
                assertEquals(e.get("sum").asDouble(), sum, SUM_TOLERANCE, info.name());
            }
        }
    }

    @Test
    void readsTheMetadataPythonWrote() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("traj/step-4.safetensors"))) {
            assertEquals(Map.of("step", "4", "source", "make_fixtures.py"), checkpoint.metadata());
        }
        try (Checkpoint checkpoint = format.open(Fixtures.file("nested/views.safetensors"))) {
            assertEquals(Map.of(), checkpoint.metadata());
        }
    }

    @Test
    void readsF16Bf16AndF64AsTheExactValuesTorchConvertedTo() {
        try (Checkpoint f32 = format.open(Fixtures.file("traj/step-5.safetensors"));
             Checkpoint f16 = format.open(Fixtures.file("variants/step-5-f16.safetensors"));
             Checkpoint bf16 = format.open(Fixtures.file("variants/step-5-bf16.safetensors"));
             Checkpoint f64 = format.open(Fixtures.file("variants/step-5-f64.safetensors"))) {
            for (TensorInfo info : f32.tensors()) {
                String name = info.name();
                float[] reference = f32.tensor(name).floats();
                float[] halves = f16.tensor(name).floats();
                float[] brains = bf16.tensor(name).floats();
                double[] doubles = f64.tensor(name).doubles();
                float[] doublesAsFloats = new float[reference.length];
                f64.read(name, doublesAsFloats, 0);
                assertEquals(DType.F16, f16.tensor(name).info().dtype());
                assertEquals(DType.BF16, bf16.tensor(name).info().dtype());
                for (int i = 0; i < reference.length; i++) {
                    assertEquals(Float.float16ToFloat(Float.floatToFloat16(reference[i])), halves[i], 0f, name + "[" + i + "]");
                    assertEquals(DType.BF16.decode(HalfPrecision.toBf16(reference[i])), brains[i], 0f, name + "[" + i + "]");
                    assertEquals(reference[i], doubles[i], 0.0, name + "[" + i + "]");
                    assertEquals(reference[i], doublesAsFloats[i], 0f, name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void listsIntegerTensorsButRefusesToReadThemAsValues() {
        Path file = Fixtures.file("nested/nested.safetensors");
        try (Checkpoint checkpoint = format.open(file)) {
            TensorInfo counts = checkpoint.tensors().stream().filter(t -> t.name().equals("counts")).findFirst().orElseThrow();
            assertEquals(new TensorInfo("counts", DType.I64, List.of(5L)), counts);
            DataFormatException e = assertThrows(DataFormatException.class, () -> checkpoint.read("counts", new float[5], 0));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'counts'")
                    && e.getMessage().contains("I64"), e.getMessage());
        }
    }

    @Test
    void listsEveryDtypeTheFormatDefinesAndReadsThe8BitFloatsAsTheirDefinitionsGive() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("torch2/fp8.safetensors"));
             Checkpoint reference = format.open(Fixtures.file("torch2/fp8-reference.safetensors"))) {
            assertEquals(List.of(new TensorInfo("e4m3", DType.F8_E4M3, List.of(16L, 16L)),
                    new TensorInfo("e5m2", DType.F8_E5M2, List.of(16L, 16L)),
                    new TensorInfo("e4m3fnuz", DType.F8_E4M3FNUZ, List.of(16L, 16L)),
                    new TensorInfo("e5m2fnuz", DType.F8_E5M2FNUZ, List.of(16L, 16L)),
                    new TensorInfo("e8m0", DType.F8_E8M0, List.of(16L, 16L)),
                    new TensorInfo("u16", DType.U16, List.of(4L)), new TensorInfo("u32", DType.U32, List.of(2L)),
                    new TensorInfo("u64", DType.U64, List.of(2L)), new TensorInfo("c64", DType.C64, List.of(2L)),
                    new TensorInfo("f4", DType.F4, List.of(2L, 16L)), new TensorInfo("f6-e2m3", DType.F6_E2M3, List.of(4L, 4L)),
                    new TensorInfo("f6-e3m2", DType.F6_E3M2, List.of(4L, 4L))), checkpoint.tensors());
            for (TensorInfo t : reference.tensors()) {
                assertArrayEquals(reference.tensor(t.name()).floats(), checkpoint.tensor(t.name()).floats(), t.name());
            }
            for (String packed : List.of("f4", "c64", "u64")) {
                DataFormatException e = assertThrows(DataFormatException.class, () -> checkpoint.tensor(packed));
                assertTrue(e.getMessage().contains("not floating point"), e.getMessage());
            }
        }
    }

    @Test
    void refusesAMissingTensorListingTheTensorsItHolds() {
        Path file = Fixtures.file("traj/step-0.safetensors");
        try (Checkpoint checkpoint = format.open(file)) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> checkpoint.tensor("layer3.weight"));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'layer3.weight'")
                    && e.getMessage().contains("layer1.weight, layer1.bias"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad/truncated.safetensors|the file is truncated (100 bytes missing)",
        "bad/header-too-long.safetensors|says 1099511627776 bytes, but only 8 bytes follow it",
        "bad/header-negative.safetensors|says 18446744073709551600 bytes",
        "bad/wrong-size.safetensors|tensor 'w' is F32 [2, 3], which takes 24 bytes, but its data_offsets [0, 20] span 20",
        "bad/f4-odd.safetensors|3 F4 elements take 12 bits, which is not whole bytes"})
    void refusesABadFileSayingWhatIsWrongAndNamingIt(String relative, String expected) {
        Path file = Fixtures.file(relative);
        assertTrue(format.recognises(file), "a damaged safetensors file is still claimed, so its error is precise");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[4,8]}}|8|tensor 'b' starts at byte 4 of the data section, expected 8 (where 'a' ends): the tensors overlap",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}|8|expected 0 (the start): the tensors leave a gap",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}|12|the file has 8 trailing bytes no tensor owns",
        "{\"a\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,8]}}|8|tensor 'a' has dtype F12, which sedge does not read",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}|4|tensor 'a' shape must hold non-negative",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}|4|end before they begin",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}|4|tensor 'a' data_offsets must be an array of 2",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}|4|Duplicate field 'a'",
        "{\"__metadata__\":{\"k\":1}}|0|__metadata__ value 'k' must be a string",
        "{\"a\":1} trailing|0|not valid JSON",
        "[1, 2]|0|must be a JSON object",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}|4|is not a valid tensor"})
    void refusesHeadersThatBreakTheFormatSayingWhat(String header, int dataBytes, String expected) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 + json.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        Path file = java.nio.file.Files.write(folder.resolve("bad.safetensors"), bytes.array());
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void recognisesSafetensorsFilesAndNoOtherFixture() {
        for (Path file : Fixtures.all()) {
            assertEquals(file.toString().endsWith(".safetensors"), format.recognises(file), file.toString());
        }
    }

    @Test
    void isFoundByTheServiceLoaderAndListedInMetaInfServices() throws IOException {
        assertTrue(ServiceLoader.load(CheckpointFormat.class).stream()
                .anyMatch(p -> p.type() == SafetensorsFormat.class), "provides ... with SafetensorsFormat");
        try (InputStream in = SafetensorsFormat.class.getModule()
                .getResourceAsStream("META-INF/services/dev.sedge.api.checkpoint.CheckpointFormat")) {
            assertTrue(in != null, "META-INF/services entry is missing");
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .anyMatch(l -> l.strip().equals(SafetensorsFormat.class.getName())));
        }
        assertFalse(format.descriptor().summary().isBlank());
    }
}
