package dev.sedge.api.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a tensor's values lie in its file when the file holds them as they are used: {@code count}
 * float32 values, little-endian, row-major and uncompressed, from byte {@code offset} of {@code file}
 * (see {@link Checkpoint#floats}). The spectral engine then reads them with positional reads, a few tens
 * of KB at a time, instead of copying the whole group onto the heap.
 *
 * @param file   the checkpoint file
 * @param offset the byte offset of the first value, ≥ 0
 * @param count  how many values, ≥ 0
 */
public record StoredFloats(Path file, long offset, long count) {

    public StoredFloats {
        Objects.requireNonNull(file, "file");
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must be >= 0, found " + offset + " and " + count);
        }
    }
}
