package dev.sedge.formats.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.pytorch.PytorchFormat;
import dev.sedge.api.checkpoint.StoredFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Checkpoint#floats}: where a file holds values ready to use, streamed from there by {@code sedge spectrum}.
 * Where a format offers a tensor so, its bytes are exactly what {@link Checkpoint#read} gives; where the values
 * need converting (another dtype, byte order or element order, or inflating) it offers nothing.
 */
class StoredFloatsTests {

    private final CheckpointFormats formats = new CheckpointFormats(List.<CheckpointFormat>of(
            new SafetensorsFormat(), new NpzFormat(), new PytorchFormat()));

    @ParameterizedTest(name = "{0}: {1} of its floating tensors stored ready to use")
    @CsvSource({
        "traj/step-3.safetensors, all",
        "traj/step-3.pt, all",
        "traj/step-3.npz, all",
        "variants/layer1-weight.npy, all",
        "variants/step-5-zip64.npz, all",
        "variants/step-5-legacy.pt, all",
        "variants/step-5-compressed.npz, none",
        "variants/step-5-big-endian.npz, none",
        "variants/step-5-fortran.npz, some",
        "variants/step-5-f16.safetensors, none",
        "variants/step-5-f64.pt, none",
        "variants/step-5-bf16.pt, none",
        "nested/views.pt, some",
    })
    void offersExactlyTheValuesReadGivesWhereTheFileHoldsThemReady(String fixture, String expected) throws IOException {
        Path file = Fixtures.file(fixture);
        int offered = 0;
        int floating = 0;
        try (Checkpoint checkpoint = formats.open(file)) {
            for (TensorInfo info : checkpoint.tensors()) {
                if (!info.dtype().isFloating()) {
                    continue;
                }
                floating++;
                Optional<StoredFloats> inPlace = checkpoint.floats(info.name());
                if (inPlace.isEmpty()) {
                    continue;
                }
                offered++;
                assertEquals(DType.F32, info.dtype(), info.name());
                assertEquals(file, inPlace.get().file());
                assertEquals(info.elementCount(), inPlace.get().count());
                float[] read = new float[(int) info.elementCount()];
                checkpoint.read(info.name(), read, 0);
                float[] stored = new float[read.length];
                ByteBuffer.wrap(Files.readAllBytes(file), (int) inPlace.get().offset(), 4 * read.length)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(stored);
                assertArrayEquals(read, stored, fixture + " " + info.name());
            }
        }
        assertTrue(floating > 0, fixture);
        switch (expected) {
            case "all" -> assertEquals(floating, offered, fixture);
            case "none" -> assertEquals(0, offered, fixture);
            default -> assertTrue(offered > 0 && offered < floating, fixture + ": " + offered + " of " + floating);
        }
    }
}
