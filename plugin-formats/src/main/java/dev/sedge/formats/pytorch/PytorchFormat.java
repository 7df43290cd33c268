package dev.sedge.formats.pytorch;

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
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code pytorch} checkpoint format: a {@code .pt}/{@code .pth} archive written by
 * {@code torch.save} (the zip format of torch 1.6 and later): {@code <prefix>/data.pkl}, a pickle,
 * and one entry {@code <prefix>/data/<key>} per storage, memory-mapped.
 *
 * <p>The pickle is read by {@link Unpickler}, which refuses any global outside
 * {@link TorchGlobals}' allowlist and runs nothing. Any tree of dicts, lists and tuples is read
 * (a state dict; {@code {'model': …, 'optimizer': …, 'epoch': 5}}; a list of state dicts); tensor
 * names and metadata follow {@link PickleTree}. Views (storage offset, strides, transposes) and
 * storages shared by several tensors are read as torch would index them; a tensor saved twice
 * (tied weights) appears under both names. F32, F64, F16, BF16 and the 8-bit floats are read; integer,
 * bool and complex tensors are listed only. torch 2.x's layout is read too: {@code _rebuild_tensor_v3}
 * over an untyped storage (how it saves the 8-bit floats and uint16/32/64), tensor metadata, and a
 * {@code <prefix>/byteorder} entry, of which {@code big} is honoured.
 *
 * <p>Also the legacy format of torch before 1.6 (still written by
 * {@code torch.save(..., _use_new_zipfile_serialization=False)}): the same pickle, then the storages one
 * after another; a storage saved as a view of another is refused.
 *
 * <p>Recognised by content: a zip with an entry {@code <prefix>/data.pkl}, or the magic number
 * of the legacy format. TorchScript archives ({@code torch.jit.save}) are refused. Stateless and thread-safe.
 */
public final class PytorchFormat implements CheckpointFormat {

    /** The format's name, {@value}. */
    public static final String NAME = "pytorch";

    /** The protocol version of the legacy format, its second pickle. */
    private static final long LEGACY_PROTOCOL = 1001;

    /** PROTO 2, LONG1 of 10 bytes, then torch's legacy magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c,
        0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "PyTorch torch.save files (.pt/.pth, zip and legacy formats): state dicts and nested dicts/lists of them, read by"
                    + " a restricted unpickler that runs nothing; F32, F64, F16, BF16, F8_*; read only");

    /** For {@link java.util.ServiceLoader}; cheap. */
    public PytorchFormat() {
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
        return List.of(".pt", ".pth");
    }

    @Override
    public boolean recognises(Path file) {
        return isLegacy(file) || ZipArchive.peekNames(file).stream().anyMatch(PytorchFormat::isPickleEntry);
    }

    @Override
    public Checkpoint open(Path file) {
        if (isLegacy(file)) {
            return MappedFiles.open(file, (contents, arena) -> readLegacy(file, contents, arena));
        }
        return MappedFiles.open(file, (contents, arena) -> read(file, contents, arena));
    }

    /**
     * The legacy format (torch.save before torch 1.6, or later with {@code _use_new_zipfile_serialization=False}):
     * five pickles one after another (the magic number, the protocol version 1001, a sys_info dict saying the byte
     * order, the object, the sorted list of storage keys), then each storage in that order: its element count
     * (int64) and its elements, in that byte order.
     */
    private static StoredCheckpoint readLegacy(Path file, MemorySegment contents, Arena arena) {
        if (contents.byteSize() > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(file + ": a legacy (pre-1.6) torch.save file of " + contents.byteSize()
                    + " bytes; sedge reads those up to 2 GB. In Python, torch.save(torch.load(path), new_path) with"
                    + " torch >= 1.6 writes the zip format, which has no limit");
        }
        byte[] data = contents.toArray(ValueLayout.JAVA_BYTE);
        String where = file + " (legacy torch.save format)";
        Unpickler.Next magic = Unpickler.loadAt(where, data, 0);
        Unpickler.Next protocol = Unpickler.loadAt(where, data, magic.end());
        if (!(protocol.value() instanceof Long version) || version != LEGACY_PROTOCOL) {
            throw new DataFormatException(where + ": protocol version " + PythonText.describe(protocol.value())
                    + "; sedge reads version " + LEGACY_PROTOCOL + " (torch 0.4 to 1.13)");
        }
        Unpickler.Next sysInfo = Unpickler.loadAt(where, data, protocol.end());
        ByteOrder order = sysInfo.value() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Unpickler.Next object = Unpickler.loadAt(where, data, sysInfo.end());
        Unpickler.Next keys = Unpickler.loadAt(where, data, object.end());
        if (!(keys.value() instanceof List<?> keyList) || !keyList.stream().allMatch(String.class::isInstance)) {
            throw new DataFormatException(where + ": the list of storage keys is " + PythonText.describe(keys.value())
                    + "; the file is corrupt");
        }
        PickleTree tree = PickleTree.of(file.toString(), object.value());
        Map<String, Pickled.Storage> storages = new java.util.HashMap<>();
        tree.tensors().values().forEach(ref -> storages.put(ref.storage().key(), ref.storage()));
        Map<String, MemorySegment> regions = new java.util.HashMap<>();
        long offset = keys.end();
        for (Object key : keyList) {
            Pickled.Storage storage = storages.get((String) key);
            if (storage == null) {
                throw new DataFormatException(where + ": storage '" + key + "' is stored but no tensor uses it;"
                        + " sedge reads state dicts (tensors in dicts and lists)");
            }
            if (offset + 8 > contents.byteSize()) {
                throw new DataFormatException(where + ": it ends before storage '" + key + "'; the file is truncated");
            }
            long count = contents.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset);
            long bytes;
            try {
                bytes = Math.multiplyExact(count, storage.dtype().bytes());
            } catch (ArithmeticException e) {
                throw new DataFormatException(where + ": storage '" + key + "' claims " + count + " elements; the file"
                        + " is corrupt", e);
            }
            if (count != storage.elements() || bytes > contents.byteSize() - offset - 8) {
                throw new DataFormatException(where + ": storage '" + key + "' should hold " + storage.elements()
                        + " elements, the file has " + count + (bytes > contents.byteSize() - offset - 8
                        ? " and ends before them (truncated)" : "") + "; the file is corrupt");
            }
            regions.put((String) key, contents.asSlice(offset + 8, bytes));
            offset += 8 + bytes;
        }
        List<StoredTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Pickled.TensorRef> named : tree.tensors().entrySet()) {
            Pickled.TensorRef ref = named.getValue();
            MemorySegment region = regions.get(ref.storage().key());
            if (region == null) {
                throw new DataFormatException(where + ": tensor '" + named.getKey() + "' uses storage '"
                        + ref.storage().key() + "', which the file does not hold; the file is incomplete");
            }
            tensors.add(stored(file, named.getKey(), ref, new ByteSource.Mapped(region), order));
        }
        return new StoredCheckpoint(file, arena, contents, tensors, tree.metadata());
    }

    private static StoredCheckpoint read(Path file, MemorySegment contents, Arena arena) {
        ZipArchive zip = ZipArchive.read(file, contents);
        List<ZipArchive.Entry> pickles = zip.entries().stream().filter(e -> isPickleEntry(e.name())).toList();
        if (pickles.size() != 1) {
            throw new DataFormatException(file + ": a torch.save archive holds one '<name>/data.pkl' entry, this zip"
                    + " holds " + pickles.size() + (pickles.isEmpty() ? "" : " (" + pickles.stream()
                            .map(ZipArchive.Entry::name).toList() + ")") + "; it is not a torch.save checkpoint");
        }
        ZipArchive.Entry pickle = pickles.getFirst();
        String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        if (zip.entry(prefix + "constants.pkl").isPresent()) {
            throw new DataFormatException(file + ": this is a TorchScript archive (torch.jit.save), not a torch.save"
                    + " checkpoint. In Python: torch.save(torch.jit.load(path).state_dict(), new_path)");
        }
        ByteOrder order = byteOrder(file, zip, prefix);
        String where = file + " entry '" + pickle.name() + "'";
        PickleTree tree = PickleTree.of(file.toString(), Unpickler.load(where, bytes(file, zip, pickle)));
        List<StoredTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Pickled.TensorRef> named : tree.tensors().entrySet()) {
            tensors.add(tensor(file, zip, prefix, order, named.getKey(), named.getValue()));
        }
        return new StoredCheckpoint(file, arena, contents, tensors, tree.metadata());
    }

    private static StoredTensor tensor(Path file, ZipArchive zip, String prefix, ByteOrder order, String name,
                                       Pickled.TensorRef ref) {
        Pickled.Storage storage = ref.storage();
        String entryName = prefix + "data/" + storage.key();
        ZipArchive.Entry entry = zip.entry(entryName).orElseThrow(() -> new DataFormatException(file + ": tensor '"
                + name + "' uses storage '" + storage.key() + "', but the archive has no entry '" + entryName
                + "'; the file is incomplete"));
        return stored(file, name, ref, zip.source(entry), order);
    }

    /** Tensor {@code name} of {@code ref} over its storage's bytes, checked to fit them. */
    private static StoredTensor stored(Path file, String name, Pickled.TensorRef ref, ByteSource source,
                                       ByteOrder order) {
        Pickled.Storage storage = ref.storage();
        TensorInfo info;
        long needed;
        try {
            info = new TensorInfo(name, ref.dtype(), ref.shape());
            needed = Math.multiplyExact(storage.elements(), storage.dtype().bytes());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataFormatException(file + ": tensor '" + name + "' is not a valid tensor: " + e.getMessage(), e);
        }
        if (source.size() < needed) {
            throw new DataFormatException(file + ": storage '" + storage.key() + "' of tensor '" + name + "' should hold "
                    + storage.elements() + " " + storage.dtype() + " elements (" + needed + " bytes), its entry has "
                    + source.size() + " bytes; the file is truncated or corrupt");
        }
        long byteOffset;
        try {
            byteOffset = Math.multiplyExact(ref.offset(), ref.dtype().bytes());
        } catch (ArithmeticException e) {
            throw new DataFormatException(file + ": tensor '" + name + "' has storage offset " + ref.offset()
                    + ", which overflows; the file is corrupt", e);
        }
        return new StoredTensor(info, source, order, byteOffset, ref.strides()).checkedIn(file);
    }

    private static byte[] bytes(Path file, ZipArchive zip, ZipArchive.Entry entry) {
        if (entry.size() > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(file + ": '" + entry.name() + "' is " + entry.size() + " bytes; sedge reads"
                    + " pickles up to 2 GB (the tensors themselves may be larger)");
        }
        try (Arena scratch = Arena.ofConfined()) {
            return zip.source(entry).bytes(scratch).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static ByteOrder byteOrder(Path file, ZipArchive zip, String prefix) {
        return zip.entry(prefix + "byteorder").map(e -> {
            String text = new String(bytes(file, zip, e), StandardCharsets.US_ASCII).strip();
            return switch (text) {
                case "little" -> ByteOrder.LITTLE_ENDIAN;
                case "big" -> ByteOrder.BIG_ENDIAN;
                default -> throw new DataFormatException(file + ": entry '" + e.name() + "' says byte order '" + text
                        + "'; expected 'little' or 'big'");
            };
        }).orElse(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code <one folder>/data.pkl}, as torch.save names its pickle. */
    private static boolean isPickleEntry(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && name.indexOf('/', slash + 1) < 0 && name.endsWith("/data.pkl");
    }

    private static boolean isLegacy(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(LEGACY_MAGIC.length), LEGACY_MAGIC);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
