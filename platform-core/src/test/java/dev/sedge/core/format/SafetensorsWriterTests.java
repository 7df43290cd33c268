package dev.sedge.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointWriter;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsWriterTests {

    /** Values that stress every conversion: signed zeros, extremes, subnormals, infinities, NaN. */
    private static final float[] VALUES = {0f, -0f, 1f, -1.5f, (float) Math.PI, 1f / 3, 65504f, 65520f, 1e-7f, -6e-8f,
        Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        1.00390625f, 1.01171875f, 3.0e-39f, 123456.79f};

    private final SafetensorsFormat format = new SafetensorsFormat();
    private final CheckpointWriter writer = format.writer().orElseThrow();

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F64"})
    void roundTripsEveryFloatDtypeToItsExactlyRoundedValues(DType dtype) {
        double[] doubles = {0.0, -0.0, Math.PI, 1e-300, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY, 1.0 / 3, -2.5, 7.0};
        Tensor matrix = dtype == DType.F64 ? Tensor.ofDoubles("m", List.of(2L, 5L), doubles)
                : Tensor.ofFloats("m", dtype, List.of(4L, 5L), VALUES);
        Tensor scalar = dtype == DType.F64 ? Tensor.ofDoubles("s", List.of(), new double[] {-3.25})
                : Tensor.ofFloats("s", dtype, List.of(), new float[] {-3.25f});
        Tensor empty = dtype == DType.F64 ? Tensor.ofDoubles("e", List.of(0L), new double[0])
                : Tensor.ofFloats("e", dtype, List.of(0L), new float[0]);
        Path file = folder.resolve("round-trip.safetensors");
        writer.write(file, List.of(matrix, scalar, empty), Map.of());
        try (Checkpoint back = format.open(file)) {
            assertEquals(List.of(matrix.info(), scalar.info(), empty.info()), back.tensors());
            if (dtype == DType.F64) {
                assertArrayEquals(doubles, back.tensor("m").doubles(), 0.0);
                return;
            }
            float[] read = back.tensor("m").floats();
            for (int i = 0; i < VALUES.length; i++) {
                float expected = switch (dtype) {
                    case F16 -> Float.float16ToFloat(Float.floatToFloat16(VALUES[i]));
                    case BF16 -> DType.BF16.decode(HalfPrecision.toBf16(VALUES[i]));
                    default -> VALUES[i];
                };
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(read[i]), dtype + " value " + VALUES[i]);
            }
            assertArrayEquals(new float[] {-3.25f}, back.tensor("s").floats(), 0f);
            assertEquals(0, back.tensor("e").floats().length);
        }
    }

    @Test
    void roundTripsMetadataAndOmitsTheKeyWhenThereIsNone() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("step", "100");
        metadata.put("provenance", "{\"seed\": 7, \"jdk\": \"25\"}");
        metadata.put("unicode σ₁", "λ → ∞");
        metadata.put("empty", "");
        Tensor t = Tensor.ofFloats("w", DType.F32, List.of(3L), new float[] {1, 2, 3});
        Path with = folder.resolve("with.safetensors");
        Path without = folder.resolve("without.safetensors");
        writer.write(with, List.of(t), metadata);
        writer.write(without, List.of(t), Map.of());
        try (Checkpoint back = format.open(with)) {
            assertEquals(metadata, back.metadata());
        }
        try (Checkpoint back = format.open(without)) {
            assertEquals(Map.of(), back.metadata());
        }
        assertFalse(header(without).has("__metadata__"));
    }

    @Test
    void writesF16AndBf16WithTheSameBitsAsTorch() {
        try (Checkpoint f32 = format.open(Fixtures.file("traj/step-5.safetensors"))) {
            for (DType dtype : List.of(DType.F16, DType.BF16)) {
                List<Tensor> converted = new ArrayList<>();
                for (TensorInfo info : f32.tensors()) {
                    converted.add(Tensor.ofFloats(info.name(), dtype, info.shape(), f32.tensor(info.name()).floats()));
                }
                Path ours = folder.resolve("ours-" + dtype + ".safetensors");
                writer.write(ours, converted, Map.of());
                String suffix = dtype == DType.F16 ? "f16" : "bf16";
                try (Checkpoint mine = format.open(ours);
                     Checkpoint torch = format.open(Fixtures.file("variants/step-5-" + suffix + ".safetensors"))) {
                    assertEquals(torch.tensors(), mine.tensors());
                    for (TensorInfo info : torch.tensors()) {
                        assertEquals(torch.tensor(info.name()), mine.tensor(info.name()), info.name());
                    }
                }
            }
        }
    }

    @Test
    void writesAtomicallyReplacingAnOldFileAndLeavingNoTemporaryFile() throws IOException {
        Path file = folder.resolve("step-000000100.safetensors");
        writer.write(file, List.of(Tensor.ofFloats("w", DType.F32, List.of(1L), new float[] {1})), Map.of("v", "1"));
        writer.write(file, List.of(Tensor.ofFloats("w", DType.F32, List.of(2L), new float[] {2, 3})), Map.of("v", "2"));
        try (Checkpoint back = format.open(file)) {
            assertEquals(Map.of("v", "2"), back.metadata());
            assertArrayEquals(new float[] {2, 3}, back.tensor("w").floats(), 0f);
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void refusesDuplicateOrReservedNamesBeforeCreatingAnyFile() throws IOException {
        Tensor a = Tensor.ofFloats("a", DType.F32, List.of(1L), new float[] {1});
        Tensor reserved = Tensor.ofFloats("__metadata__", DType.F32, List.of(1L), new float[] {1});
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> writer.write(folder.resolve("x.safetensors"), List.of(a, a), Map.of()));
        assertTrue(twice.getMessage().contains("'a' twice"), twice.getMessage());
        IllegalArgumentException meta = assertThrows(IllegalArgumentException.class,
                () -> writer.write(folder.resolve("x.safetensors"), List.of(reserved), Map.of()));
        assertTrue(meta.getMessage().contains("reserved for metadata"), meta.getMessage());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void reportsAFolderThatDoesNotExistNamingTheFile() {
        Path file = folder.resolve("no-such-folder").resolve("x.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> writer.write(file,
                List.of(Tensor.ofFloats("a", DType.F32, List.of(1L), new float[] {1})), Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void padsTheHeaderToAMultipleOfEightBytesAndWritesOffsetsInOrder() throws IOException {
        Path file = folder.resolve("padded.safetensors");
        writer.write(file, List.of(Tensor.ofFloats("b", DType.BF16, List.of(3L), new float[] {1, 2, 3}),
                Tensor.ofDoubles("a", List.of(2L), new double[] {4, 5})), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + length) % 8);
        assertEquals(8 + length + 3 * 2 + 2 * 8, bytes.length);
        JsonNode header = header(file);
        assertEquals("[0,6]", header.get("b").get("data_offsets").toString());
        assertEquals("[6,22]", header.get("a").get("data_offsets").toString());
        assertEquals(List.of("__metadata__", "b", "a"), iterableToList(header.fieldNames()));
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    private static JsonNode header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return JsonMapper.builder().build().readTree(Arrays.copyOfRange(bytes, 8, 8 + length));
    }
}
