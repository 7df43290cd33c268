package dev.sedge.formats.onnx;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxFormatTests {

    private final OnnxFormat format = new OnnxFormat();

    @TempDir
    Path folder;

    @Test
    void passesTheFormatContract() {
        List<Path> foreign = Reference.samples().stream().filter(p -> !p.toString().endsWith(".onnx")).toList();
        FormatContract.check(format, Fixtures.file("onnx/mlp.onnx"), foreign);
    }

    @Test
    void readsTheInitializersOfAnExportedModelBitIdenticalToTheStateDict() {
        Reference.assertSameAs(format, Fixtures.file("onnx/mlp.onnx"), "traj/step-5.safetensors", false);
    }

    @Test
    void readsValuesStoredInFloatDoubleAndInt32FieldsRatherThanRawData() {
        Reference.assertSameAs(format, Fixtures.file("onnx/typed-fields.onnx"), "onnx/typed-fields.safetensors", true);
    }

    @Test
    void readsMetadataPropsAsMetadata() {
        try (Checkpoint checkpoint = format.open(Fixtures.file("onnx/mlp.onnx"))) {
            assertEquals(Map.of("step", "5"), checkpoint.metadata());
        }
    }

    @Test
    void refusesExternalDataNamingTheInitializerAndSayingHowToEmbedIt() {
        Path file = Fixtures.file("bad/external-data.onnx");
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("initializer 'layer1.weight'")
                && e.getMessage().contains("save_as_external_data=False"), e.getMessage());
    }

    /** Hostile locations (docs/import.md, "Hostile files"): refused like any external data, naming the location. */
    @ParameterizedTest
    @CsvSource({"../secret.bin, outside the model's folder", "/etc/passwd, outside the model's folder",
        "weights.bin, a file beside the model"})
    void refusesExternalDataWhereverItPointsWithoutOpeningIt(String location, String where) throws IOException {
        Path secret = Files.writeString(folder.resolve("secret.bin"), "not weights");
        Path models = Files.createDirectories(folder.resolve("models"));
        Path file = Files.write(models.resolve("model.onnx"), externalModel(location));
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file + ": initializer 'w' keeps its values in external data at '" + location
                + "' (" + where + "), which sedge does not read: it opens no file a model names"), e.getMessage());
        try (var files = Files.list(models)) {
            assertEquals(List.of(file), files.toList(), "nothing is written");
        }
        assertEquals("not weights", Files.readString(secret));
    }

    /**
     * ModelProto{ir_version 7, graph{initializer{dims 4, data_type 1 (FLOAT), name "w", external_data{key "location",
     * value location}, external_data{key "length", value "16"}, data_location 1 (EXTERNAL)}}}.
     */
    static byte[] externalModel(String location) {
        byte[] tensor = concat(varint(1, 4), varint(2, 1), bytes(8, "w".getBytes(StandardCharsets.UTF_8)),
                bytes(13, concat(bytes(1, "location".getBytes(StandardCharsets.UTF_8)),
                        bytes(2, location.getBytes(StandardCharsets.UTF_8)))),
                bytes(13, concat(bytes(1, "length".getBytes(StandardCharsets.UTF_8)),
                        bytes(2, "16".getBytes(StandardCharsets.UTF_8)))), varint(14, 1));
        return concat(varint(1, 7), bytes(7, bytes(5, tensor)));
    }

    private static byte[] varint(int field, long value) {
        return concat(new byte[] {(byte) (field << 3)}, rawVarint(value));
    }

    private static byte[] bytes(int field, byte[] payload) {
        return concat(new byte[] {(byte) ((field << 3) | 2)}, rawVarint(payload.length), payload);
    }

    private static byte[] rawVarint(long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void refusesATruncatedModelItNoLongerRecognises() throws IOException {
        byte[] model = Files.readAllBytes(Fixtures.file("onnx/mlp.onnx"));
        Path file = folder.resolve("truncated.onnx");
        Files.write(file, Arrays.copyOf(model, model.length / 2));
        assertFalse(format.recognises(file), "the graph field runs past the end");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("invalid protobuf"), e.getMessage());
    }

    @Test
    void refusesAnInitializerOfAnUnreadableTypeNamingIt() throws IOException {
        // ModelProto{ir_version 7, graph{initializer{dims 2, data_type 15 (COMPLEX128), name "z"}}}
        byte[] model = {0x08, 0x07, 0x3a, 0x09, 0x2a, 0x07, 0x08, 0x02, 0x10, 0x0f, 0x42, 0x01, 'z'};
        Path file = folder.resolve("complex.onnx");
        Files.write(file, model);
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().contains("initializer 'z' has ONNX data type 15 (COMPLEX128)"), e.getMessage());
    }

    @Test
    void readsFloat8InitializersFromRawDataAndFromInt32Data() throws IOException {
        // graph{initializer{dims 4, data_type 17 (FLOAT8E4M3FN), name "f", raw_data 38 7e 01 fe},
        //       initializer{dims 4, data_type 17, name "g", int32_data [0x38, 0x7e, 0x01, 0xfe]}}
        byte[] model = {0x08, 0x07, 0x3a, 0x1f,
            0x2a, 0x0d, 0x08, 0x04, 0x10, 0x11, 0x42, 0x01, 'f', 0x4a, 0x04, 0x38, 0x7e, 0x01, (byte) 0xfe,
            0x2a, 0x0e, 0x08, 0x04, 0x10, 0x11, 0x42, 0x01, 'g', 0x2a, 0x05, 0x38, 0x7e, 0x01, (byte) 0xfe, 0x01};
        Path file = folder.resolve("fp8.onnx");
        Files.write(file, model);
        try (Checkpoint checkpoint = format.open(file)) {
            float[] expected = {1f, 448f, (float) Math.scalb(1.0, -9), -448f};
            for (String name : List.of("f", "g")) {
                assertEquals(new TensorInfo(name, DType.F8_E4M3, List.of(4L)), checkpoint.tensors().get(name.equals("f") ? 0 : 1));
                assertArrayEquals(expected, checkpoint.tensor(name).floats(), name);
            }
        }
    }
}
