package dev.sedge.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2.4 GB safetensors file, made sparse in a temporary folder (no disk is used for its zeros):
 * an F64 tensor of 300 million elements (2.4 GB, past every 32-bit offset) followed by a small
 * F32 tensor that starts beyond 2^31 bytes. Reading needs about 1.2 GB of heap and a few seconds,
 * so it runs only with {@code -Dsedge.largeTests=true}.
 */
@EnabledIfSystemProperty(named = "sedge.largeTests", matches = "true")
class SafetensorsLargeFileTests {

    private static final long BIG = 300_000_000L;

    @TempDir
    Path folder;

    @Test
    void readsATensorOverTwoGigabytesAndOneStartingPastTwoGigabytes() throws IOException {
        Path file = folder.resolve("large.safetensors");
        long bigBytes = BIG * 8;
        String json = "{\"big\":{\"dtype\":\"F64\",\"shape\":[" + BIG + "],\"data_offsets\":[0," + bigBytes + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + bigBytes + "," + (bigBytes + 16) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        long[] planted = {0, 1, 268_500_000L, BIG - 1}; // element 268.5M lies past byte 2^31
        double[] values = {1.5, -2.0, -2.25, 3.0};
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length), 0);
            out.write(ByteBuffer.wrap(header), 8);
            for (int i = 0; i < planted.length; i++) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, values[i]),
                        dataStart + planted[i] * 8);
            }
            ByteBuffer tail = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            tail.putFloat(0, 0.5f).putFloat(4, -1f).putFloat(8, 7f).putFloat(12, 1e-3f);
            out.write(tail, dataStart + bigBytes);
        }
        try (Checkpoint checkpoint = new SafetensorsFormat().open(file)) {
            assertEquals(List.of(new TensorInfo("big", DType.F64, List.of(BIG)), new TensorInfo("tail", DType.F32, List.of(4L))),
                    checkpoint.tensors());
            assertArrayEquals(new float[] {0.5f, -1f, 7f, 1e-3f}, checkpoint.tensor("tail").floats(), 0f);
            float[] big = new float[(int) BIG];
            checkpoint.read("big", big, 0);
            for (int i = 0; i < planted.length; i++) {
                assertEquals((float) values[i], big[(int) planted[i]], 0f, "element " + planted[i]);
            }
            assertEquals(0f, big[2], 0f);
            assertEquals(0f, big[(int) BIG - 2], 0f);
        }
    }
}
