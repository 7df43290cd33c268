package dev.sedge.api.checkpoint;

import dev.sedge.api.Plugin;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint file format (safetensors, .npz, PyTorch .pt, ONNX initializers …).
 *
 * <p>Formats are recognised by content: the host asks each format whether it
 * {@link #recognises} a file and refuses a file that no format, or more than one, claims.
 */
public interface CheckpointFormat extends Plugin {

    /**
     * Whether {@code file} is in this format, judged from its content (magic bytes, a zip entry's
     * name), not only its extension. Must be cheap (read a few bytes), must not throw for a file
     * of another format, and returns {@code false} for a file it cannot read at all.
     */
    boolean recognises(Path file);

    /**
     * Opens {@code file} and reads its table of tensors (not their values).
     *
     * @throws dev.sedge.api.DataFormatException naming the file if it is truncated, corrupt or
     *         asks for something the reader refuses
     */
    Checkpoint open(Path file);

    /**
     * The file-name extensions this format is usually saved with ({@code .safetensors}), lower
     * case with the dot. Not used to recognise a file, but a file with one of these extensions
     * that no format recognises is reported as corrupt instead of being passed over.
     */
    default List<String> extensions() {
        return List.of();
    }

    /** The writer, if this format can be written; empty for read-only formats. */
    default Optional<CheckpointWriter> writer() {
        return Optional.empty();
    }
}
