package dev.sedge.api.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open checkpoint file: the tensors it holds, read on demand. May hold a memory mapping or a
 * file handle, released by {@link #close()}. Confined to one thread.
 */
public interface Checkpoint extends AutoCloseable {

    /** The file this was opened from. */
    Path file();

    /** Every tensor, in the order the file stores them. Names are unique. */
    List<TensorInfo> tensors();

    /** Free-form string metadata stored with the tensors (empty if the format has none). */
    Map<String, String> metadata();

    /**
     * Reads tensor {@code name} into {@code dst[offset ..]}, converting any floating type to
     * float. This is the fast path the spectral engine uses to concatenate a parameter group.
     *
     * @param dst modified: {@code info.elementCount()} values written from {@code offset}
     * @throws dev.sedge.api.DataFormatException if the tensor is missing, not floating point, or
     *         its bytes cannot be read
     */
    void read(String name, float[] dst, int offset);

    /**
     * Where tensor {@code name}'s values lie in {@link #file()}, if the file holds them as they are used:
     * float32, little-endian, row-major, uncompressed (safetensors; .npy, and .npz or PyTorch zip entries
     * stored without compression). The spectral engine then reads a large group from the file a piece at a
     * time instead of copying it onto the heap ({@code docs/scale.md}). Valid as long as the file is unchanged.
     *
     * @return empty when the values would need converting, reordering or inflating (then use {@link #read});
     *         the default
     * @throws dev.sedge.api.DataFormatException if the tensor is missing or not floating point
     */
    default Optional<StoredFloats> floats(String name) {
        return Optional.empty();
    }

    /** Tensor {@code name} with its values, F64 kept as double. */
    Tensor tensor(String name);

    /**
     * Every tensor with its values, in {@link #tensors()} order.
     *
     * @throws dev.sedge.api.DataFormatException as {@link #tensor} does, for the first that cannot be read
     */
    default List<Tensor> readAll() {
        List<Tensor> all = new ArrayList<>();
        for (TensorInfo info : tensors()) {
            all.add(tensor(info.name()));
        }
        return List.copyOf(all);
    }

    /** Releases the file. Idempotent; nothing may be read afterwards. */
    @Override
    void close();
}
