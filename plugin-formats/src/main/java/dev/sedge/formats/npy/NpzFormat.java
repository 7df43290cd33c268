package dev.sedge.formats.npy;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.formats.store.ByteSource;
import dev.sedge.formats.store.MappedFiles;
import dev.sedge.formats.store.StoredCheckpoint;
import dev.sedge.formats.store.StoredTensor;
import dev.sedge.formats.zip.ZipArchive;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code npz} checkpoint format: a numpy {@code .npz} archive ({@code np.savez} or
 * {@code np.savez_compressed}) of {@code .npy} arrays, or a bare {@code .npy} file.
 *
 * <p>Tensor names: an archive entry {@code layer1.weight.npy} is tensor {@code layer1.weight};
 * the array of a bare {@code .npy} is tensor {@code arr_0} (numpy's name for a positional array),
 * so the name does not change with the file name along a trajectory. Fortran-ordered arrays and
 * big-endian arrays are read (values come out in row-major order); dtypes as in
 * {@link NpyHeader}. No metadata. Stored entries are memory-mapped; compressed entries are
 * inflated when read.
 *
 * <p>Recognised by content: the {@code \x93NUMPY} magic, or a zip whose entries all end in
 * {@code .npy}. Stateless and thread-safe.
 */
public final class NpzFormat implements CheckpointFormat {

    /** The format's name, {@value}. */
    public static final String NAME = "npz";

    /** The tensor name of a bare .npy file's array. */
    public static final String BARE_ARRAY_NAME = "arr_0";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "numpy .npz archives (stored or compressed) and bare .npy files: f2, f4, f8 in either byte order and"
                    + " C or Fortran order; read only");

    /** For {@link java.util.ServiceLoader}; cheap. */
    public NpzFormat() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<String> extensions() {
        return List.of(".npz", ".npy");
    }

    @Override
    public boolean recognises(Path file) {
        if (isNpy(file)) {
            return true;
        }
        List<String> names = ZipArchive.peekNames(file);
        return !names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".npy"));
    }

    @Override
    public Checkpoint open(Path file) {
        return MappedFiles.open(file, (contents, arena) -> isNpy(file) ? npy(file, contents, arena) : npz(file, contents, arena));
    }

    private static StoredCheckpoint npy(Path file, MemorySegment contents, Arena arena) {
        ByteSource source = new ByteSource.Mapped(contents);
        StoredTensor tensor = tensor(file, BARE_ARRAY_NAME, source, header(source, file.toString()));
        return new StoredCheckpoint(file, arena, contents, List.of(tensor), Map.of());
    }

    private static StoredCheckpoint npz(Path file, MemorySegment contents, Arena arena) {
        ZipArchive zip = ZipArchive.read(file, contents);
        List<StoredTensor> tensors = new ArrayList<>();
        for (ZipArchive.Entry entry : zip.entries()) {
            if (!entry.name().endsWith(".npy")) {
                throw new DataFormatException(file + ": zip entry '" + entry.name() + "' is not a .npy array;"
                        + " an .npz holds .npy entries only");
            }
            String name = entry.name().substring(0, entry.name().length() - 4);
            ByteSource source = zip.source(entry);
            tensors.add(tensor(file, name, source, header(source, file + " entry '" + entry.name() + "'")));
        }
        return new StoredCheckpoint(file, arena, contents, tensors, Map.of());
    }

    private static NpyHeader header(ByteSource source, String where) {
        byte[] start = source.prefix(12);
        long end = NpyHeader.headerEnd(start);
        if (end > start.length) {
            start = source.prefix((int) Math.min(end, NpyHeader.MAX_HEADER_BYTES));
        }
        return NpyHeader.parse(start, where);
    }

    private static StoredTensor tensor(Path file, String name, ByteSource source, NpyHeader header) {
        TensorInfo info;
        try {
            info = new TensorInfo(name, header.dtype(), header.shape());
            info.byteCount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataFormatException(file + ": array '" + name + "' is not a valid tensor: " + e.getMessage(), e);
        }
        List<Long> strides = header.fortranOrder() ? StoredTensor.fortranStrides(info.shape())
                : StoredTensor.cStrides(info.shape());
        StoredTensor tensor = new StoredTensor(info, source, header.order(), header.dataOffset(), strides).checkedIn(file);
        long expected = header.dataOffset() + info.byteCount();
        if (source.size() < expected) {
            throw new DataFormatException(file + ": array '" + name + "' (" + info.dtype() + " " + info.shape()
                    + ") needs " + expected + " bytes, the entry holds " + source.size() + "; it is truncated");
        }
        return tensor;
    }

    private static boolean isNpy(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return NpyHeader.hasMagic(in.readNBytes(8));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
