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
 * (tied weights) appears under both names. Storage types F32, F64, F16, BF16 are read; integer
 * and bool tensors are listed only. A {@code <prefix>/byteorder} entry of {@code big} is honoured.
 *
 * <p>Recognised by content: a zip with an entry {@code <prefix>/data.pkl}, or the magic number
 * of the legacy (pre-1.6) format, which is recognised so that it is refused with advice instead of
 * "no format". TorchScript archives ({@code torch.jit.save}) are refused too. Stateless and thread-safe.
 */
public final class PytorchFormat implements CheckpointFormat {

    /** The format's name, {@value}. */
    public static final String NAME = "pytorch";

    /** PROTO 2, LONG1 of 10 bytes, then torch's legacy magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c,
        0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "PyTorch torch.save archives (.pt/.pth, zip format): state dicts and nested dicts/lists of them, read by"
                    + " a restricted unpickler that runs nothing; F32, F64, F16, BF16; read only");

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
            throw new DataFormatException(file + ": this is the legacy (pre-1.6) torch.save format, which sedge does"
                    + " not read. In Python: torch.save(torch.load(path), new_path) with torch >= 1.6 writes the zip"
                    + " format");
        }
        return MappedFiles.open(file, (contents, arena) -> read(file, contents, arena));
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
        return new StoredCheckpoint(file, arena, tensors, tree.metadata());
    }

    private static StoredTensor tensor(Path file, ZipArchive zip, String prefix, ByteOrder order, String name,
                                       Pickled.TensorRef ref) {
        Pickled.Storage storage = ref.storage();
        String entryName = prefix + "data/" + storage.key();
        ZipArchive.Entry entry = zip.entry(entryName).orElseThrow(() -> new DataFormatException(file + ": tensor '"
                + name + "' uses storage '" + storage.key() + "', but the archive has no entry '" + entryName
                + "'; the file is incomplete"));
        ByteSource source = zip.source(entry);
        TensorInfo info;
        long needed;
        try {
            info = new TensorInfo(name, storage.dtype(), ref.shape());
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
            byteOffset = Math.multiplyExact(ref.offset(), storage.dtype().bytes());
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
