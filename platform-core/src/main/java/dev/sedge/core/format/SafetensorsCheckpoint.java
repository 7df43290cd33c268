package dev.sedge.core.format;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.StoredFloats;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An open safetensors file, memory-mapped whole ({@link FileChannel#map} into an {@link Arena}),
 * so a tensor at any {@code long} offset, and a tensor over 2 GB, reads without a copy of the
 * file. The mapping is released by {@link #close()}.
 *
 * <p>Integer tensors (I64 … BOOL) are listed by {@link #tensors()} but {@link #read} and
 * {@link #tensor} refuse them: a spectrum is computed over floating parameters, and an integer
 * buffer (a step counter, {@code num_batches_tracked}) silently turned into floats would enter it.
 *
 * <p>Confined to one thread (the mapping itself may be read from any thread).
 */
final class SafetensorsCheckpoint implements Checkpoint {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment contents;
    private final SafetensorsHeader header;
    private final Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
    private boolean closed;

    private SafetensorsCheckpoint(Path file, Arena arena, MemorySegment contents, SafetensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.contents = contents;
        this.header = header;
        header.tensors().forEach(e -> byName.put(e.info().name(), e));
    }

    /**
     * Maps {@code file} and validates its header.
     *
     * @throws DataFormatException naming the file if it cannot be read or its header is invalid
     */
    static SafetensorsCheckpoint open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": not a readable regular file; give the path of a .safetensors file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment contents = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new SafetensorsCheckpoint(file, arena, contents, SafetensorsHeader.parse(file, contents));
        } catch (IOException e) {
            arena.close();
            throw new DataFormatException(file + ": cannot read the file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<TensorInfo> tensors() {
        return header.tensors().stream().map(SafetensorsHeader.Entry::info).toList();
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException if the tensor does not fit in {@code dst} from {@code offset}
     * @throws IllegalStateException     if this checkpoint is closed
     */
    @Override
    public void read(String name, float[] dst, int offset) {
        SafetensorsHeader.Entry entry = floatingEntry(name);
        int count = elementCount(entry);
        Objects.checkFromIndexSize(offset, count, dst.length);
        long at = header.dataStart() + entry.begin();
        switch (entry.info().dtype()) {
            case F32 -> MemorySegment.copy(contents, F32, at, dst, offset, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) contents.get(F64, at + 8L * i);
                }
            }
            case F16, BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = entry.info().dtype().decode(contents.get(I16, at + 2L * i));
                }
            }
            case F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = entry.info().dtype().decode(contents.get(ValueLayout.JAVA_BYTE, at + i));
                }
            }
            default -> throw new IllegalStateException("not floating: " + entry.info());
        }
    }

    /**
     * {@inheritDoc} Every F32 tensor: safetensors stores little-endian, row-major and uncompressed.
     *
     * @throws IllegalStateException if this checkpoint is closed
     */
    @Override
    public Optional<StoredFloats> floats(String name) {
        SafetensorsHeader.Entry entry = floatingEntry(name);
        if (entry.info().dtype() != DType.F32) {
            return Optional.empty();
        }
        return Optional.of(new StoredFloats(file, header.dataStart() + entry.begin(), entry.info().elementCount()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if this checkpoint is closed
     */
    @Override
    public Tensor tensor(String name) {
        SafetensorsHeader.Entry entry = floatingEntry(name);
        TensorInfo info = entry.info();
        int count = elementCount(entry);
        if (info.dtype() == DType.F64) {
            double[] values = new double[count];
            MemorySegment.copy(contents, F64, header.dataStart() + entry.begin(), values, 0, count);
            return Tensor.ofDoubles(info.name(), info.shape(), values);
        }
        float[] values = new float[count];
        read(name, values, 0);
        return Tensor.ofFloats(info.name(), info.dtype(), info.shape(), values);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private SafetensorsHeader.Entry floatingEntry(String name) {
        if (closed) {
            throw new IllegalStateException(file + " is closed; open it again to read '" + name + "'");
        }
        SafetensorsHeader.Entry entry = byName.get(name);
        if (entry == null) {
            throw new DataFormatException(file + ": no tensor '" + name + "'; it holds " + byName.size()
                    + " tensors: " + names(12));
        }
        if (!entry.info().dtype().isFloating()) {
            throw new DataFormatException(file + ": tensor '" + name + "' is " + entry.info().dtype()
                    + ", not floating point; only F64, F32, F16, BF16 and the 8-bit floats (F8_*) are read as values."
                    + " Leave it out of the parameter group");
        }
        return entry;
    }

    private int elementCount(SafetensorsHeader.Entry entry) {
        long count = entry.info().elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(file + ": tensor '" + entry.info().name() + "' has " + count
                    + " elements, more than one Java array holds (" + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) count;
    }

    private String names(int limit) {
        String shown = byName.keySet().stream().limit(limit).collect(Collectors.joining(", "));
        return byName.size() > limit ? shown + ", …" : shown;
    }
}
