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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
