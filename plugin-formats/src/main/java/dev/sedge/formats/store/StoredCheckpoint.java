package dev.sedge.formats.store;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.StoredFloats;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An open checkpoint of this module's formats: {@link StoredTensor}s in a memory-mapped file,
 * released by {@link #close()}.
 *
 * <p>Integer and BOOL tensors are listed by {@link #tensors()} but {@link #read} and
 * {@link #tensor} refuse them with a {@link DataFormatException}: a spectrum is computed over
 * floating parameters, and an integer buffer (a step counter, {@code num_batches_tracked})
 * silently turned into floats would enter it.
 *
 * <p>Confined to one thread.
 */
public final class StoredCheckpoint implements Checkpoint {

    private final Path file;
    private final Arena arena;
    private final MemorySegment contents;
    private final Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata;
    private boolean closed;

    /**
     * @param arena    owns the file's mapping; closed by {@link #close()}
     * @param contents the whole file as mapped, of which the tensors' bytes are slices; or null (or a heap
     *                 copy) when they are not the file's own bytes: then {@link #floats} offers nothing
     * @param tensors  in the order the file stores them; copied
     * @param metadata copied
     * @throws DataFormatException naming {@code file} if two tensors share a name
     */
    public StoredCheckpoint(Path file, Arena arena, MemorySegment contents, List<StoredTensor> tensors,
                            Map<String, String> metadata) {
        this.file = Objects.requireNonNull(file, "file");
        this.arena = Objects.requireNonNull(arena, "arena");
        this.contents = contents;
        for (StoredTensor t : tensors) {
            if (this.tensors.putIfAbsent(t.info().name(), t) != null) {
                throw new DataFormatException(file + ": two tensors are named '" + t.info().name()
                        + "'; names in one checkpoint must be unique");
            }
        }
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors.values().stream().map(StoredTensor::info).toList();
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException if the tensor does not fit in {@code dst} from {@code offset}
     * @throws IllegalStateException     if this checkpoint is closed
     */
    @Override
    public void read(String name, float[] dst, int offset) {
        StoredTensor tensor = floating(name);
        Objects.checkFromIndexSize(offset, count(tensor), dst.length);
        try (Arena scratch = Arena.ofConfined()) {
            ElementDecoder.toFloats(tensor.source().bytes(scratch), tensor, dst, offset);
        }
    }

    /**
     * {@inheritDoc} An F32 tensor in an uncompressed region of the mapped file, little-endian, in row-major
     * order from its offset. A view with other strides, a big-endian or a compressed one, or one whose bytes
     * were copied out of the file, is read with {@link #read}.
     *
     * @throws IllegalStateException if this checkpoint is closed
     */
    @Override
    public Optional<StoredFloats> floats(String name) {
        StoredTensor tensor = floating(name);
        TensorInfo info = tensor.info();
        long bytes = 4 * info.elementCount();
        if (contents == null || !contents.isNative() || info.dtype() != DType.F32
                || tensor.order() != ByteOrder.LITTLE_ENDIAN
                || !(tensor.source() instanceof ByteSource.Mapped(MemorySegment segment)) || !segment.isNative()
                || !tensor.strides().equals(StoredTensor.cStrides(info.shape()))
                || tensor.byteOffset() + bytes > segment.byteSize()) {
            return Optional.empty();
        }
        long offset = segment.address() - contents.address() + tensor.byteOffset();
        if (offset < 0 || offset + bytes > contents.byteSize()) {
            return Optional.empty(); // not a slice of the file's mapping
        }
        return Optional.of(new StoredFloats(file, offset, info.elementCount()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if this checkpoint is closed
     */
    @Override
    public Tensor tensor(String name) {
        StoredTensor tensor = floating(name);
        TensorInfo info = tensor.info();
        int count = count(tensor);
        try (Arena scratch = Arena.ofConfined()) {
            if (info.dtype() == DType.F64) {
                double[] values = new double[count];
                ElementDecoder.toDoubles(tensor.source().bytes(scratch), tensor, values, 0);
                return Tensor.ofDoubles(info.name(), info.shape(), values);
            }
            float[] values = new float[count];
            ElementDecoder.toFloats(tensor.source().bytes(scratch), tensor, values, 0);
            return Tensor.ofFloats(info.name(), info.dtype(), info.shape(), values);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private StoredTensor floating(String name) {
        if (closed) {
            throw new IllegalStateException(file + " is closed; open it again to read '" + name + "'");
        }
        StoredTensor tensor = tensors.get(name);
        if (tensor == null) {
            String known = tensors.keySet().stream().limit(12).collect(Collectors.joining(", "));
            throw new DataFormatException(file + ": no tensor '" + name + "'; it holds " + tensors.size()
                    + " tensors: " + known + (tensors.size() > 12 ? ", …" : ""));
        }
        if (!tensor.info().dtype().isFloating()) {
            throw new DataFormatException(file + ": tensor '" + name + "' is " + tensor.info().dtype()
                    + ", not floating point; only F64, F32, F16, BF16 and the 8-bit floats (F8_*) are read as values."
                    + " Leave it out of the parameter group");
        }
        return tensor;
    }

    private int count(StoredTensor tensor) {
        long count = tensor.info().elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(file + ": tensor '" + tensor.info().name() + "' has " + count
                    + " elements, more than one Java array holds (" + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) count;
    }
}
