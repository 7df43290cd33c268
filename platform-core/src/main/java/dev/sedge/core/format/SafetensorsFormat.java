package dev.sedge.core.format;

import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.CheckpointWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The {@code safetensors} checkpoint format: the pivot format of sedge's run directory.
 *
 * <p>Reads F32, F16, BF16 and F64 tensors (as floats, F64 also as doubles); integer and BOOL
 * tensors are listed but refused as values. Writes F32, F16, BF16 and F64 with string metadata,
 * atomically. Files and tensors over 2 GB work: the file is memory-mapped and every offset is a
 * {@code long}. See {@link SafetensorsHeader} for what is validated.
 *
 * <p>Recognised by content: 8 bytes (the little-endian header length) followed by {@code {"} (or
 * an empty object). Stateless and thread-safe.
 */
public final class SafetensorsFormat implements CheckpointFormat {

    /** The format's name, {@value}. */
    public static final String NAME = "safetensors";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "safetensors files: reads F32, F16, BF16, F64 and the 8-bit floats (the format's other dtypes listed, not"
                    + " read); writes F32, F16, BF16, F64 with metadata, atomically");

    private static final CheckpointWriter WRITER = new SafetensorsWriter();

    /** For {@link java.util.ServiceLoader}; cheap. */
    public SafetensorsFormat() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Whether the file starts like safetensors: 8 bytes (the header length, whatever its value,
     * so that {@link #open} can say what is wrong with it), then {@code {"} or {@code {}}, spaces
     * allowed. Reads at most 64 bytes; {@code false} for anything unreadable. Never throws.
     */
    @Override
    public List<String> extensions() {
        return List.of(".safetensors");
    }

    @Override
    public boolean recognises(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size < 10) {
                    return false;
                }
                ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, 64));
                while (start.hasRemaining() && channel.read(start) >= 0) {
                    // fill the prefix
                }
                if (start.get(8) != '{') {
                    return false;
                }
                for (int i = 9; i < start.position(); i++) {
                    byte b = start.get(i);
                    if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                        return b == '"' || b == '}';
                    }
                }
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Checkpoint open(Path file) {
        return SafetensorsCheckpoint.open(file);
    }

    @Override
    public Optional<CheckpointWriter> writer() {
        return Optional.of(WRITER);
    }
}
