package dev.sedge.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.checkpoint.CheckpointWriter;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files: F32, F16, BF16 and F64 tensors (each rounded to its dtype, to nearest
 * even) with string metadata under {@code __metadata__} (omitted when empty). The header is padded
 * with spaces so the data section starts at a multiple of 8 bytes. The file is written through
 * {@link AtomicFile}: a temporary name in the same folder, forced to disk, atomically renamed.
 *
 * <p>Stateless and thread-safe.
 */
final class SafetensorsWriter implements CheckpointWriter {

    /** Elements encoded per write call: bounds the staging buffer at 8 MB. */
    private static final int CHUNK = 1 << 20;

    @Override
    public void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        AtomicFile.write(file, out -> {
            AtomicFile.writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            AtomicFile.writeFully(out, ByteBuffer.wrap(header));
            ByteBuffer staging = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor tensor : tensors) {
                staging = writeValues(out, tensor, staging);
            }
        });
    }

    /**
     * The JSON header, space-padded so that 8 + its length is a multiple of 8.
     *
     * @throws IllegalArgumentException for a duplicate name or a tensor named {@code __metadata__}
     */
    static byte[] header(List<Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = SafetensorsHeader.json().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor tensor : tensors) {
            TensorInfo info = tensor.info();
            if (info.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("cannot write a tensor named '" + info.name()
                        + "': the name is reserved for metadata; rename the tensor");
            }
            if (!names.add(info.name())) {
                throw new IllegalArgumentException("cannot write tensor '" + info.name()
                        + "' twice: tensor names in one checkpoint must be unique");
            }
            ObjectNode entry = root.putObject(info.name());
            entry.put("dtype", info.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            info.shape().forEach(shape::add);
            long end = Math.addExact(offset, info.byteCount());
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.json().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a safetensors header: " + e.getOriginalMessage(), e);
        }
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /** Encodes {@code tensor} little-endian in chunks; returns the (possibly grown) staging buffer. */
    private static ByteBuffer writeValues(FileChannel out, Tensor tensor, ByteBuffer staging) throws IOException {
        DType dtype = tensor.info().dtype();
        int count = Math.toIntExact(tensor.info().elementCount());
        int chunk = Math.min(CHUNK, Math.max(count, 1));
        if (staging.capacity() < chunk * dtype.bytes()) {
            staging = ByteBuffer.allocate(chunk * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
        double[] doubles = dtype == DType.F64 ? tensor.doubles() : null;
        float[] floats = dtype == DType.F64 ? null : tensor.floats();
        for (int start = 0; start < count; start += chunk) {
            int end = Math.min(count, start + chunk);
            staging.clear();
            for (int i = start; i < end; i++) {
                switch (dtype) {
                    case F64 -> staging.putDouble(doubles[i]);
                    case F32 -> staging.putFloat(floats[i]);
                    case F16 -> staging.putShort(HalfPrecision.toF16(floats[i]));
                    case BF16 -> staging.putShort(HalfPrecision.toBf16(floats[i]));
                    default -> throw new IllegalArgumentException("cannot write tensor '" + tensor.info().name()
                            + "' of dtype " + dtype + "; safetensors are written as F64, F32, F16 or BF16");
                }
            }
            staging.flip();
            AtomicFile.writeFully(out, staging);
        }
        return staging;
    }
}
