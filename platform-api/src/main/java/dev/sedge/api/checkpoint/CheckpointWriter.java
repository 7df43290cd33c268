package dev.sedge.api.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes checkpoints in one format. Stateless and thread-safe. */
public interface CheckpointWriter {

    /**
     * Writes {@code tensors} (in this order) and {@code metadata} to {@code file}, atomically: to
     * a temporary name in the same folder, then renamed, so a crash never leaves half a file.
     *
     * @param tensors  names unique; not modified
     * @param metadata not modified
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    void write(Path file, List<Tensor> tensors, Map<String, String> metadata);
}
