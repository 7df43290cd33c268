package dev.sedge.formats.zip;

import dev.sedge.api.DataFormatException;
import dev.sedge.formats.store.ByteSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The central directory of a zip file held in a memory segment. Reads ZIP64 records; refuses
 * encrypted entries and methods other than stored (0) and deflated (8) when an entry's bytes are
 * asked for. Thread-safe once built.
 *
 * <p>sedge never extracts an archive: entries are read in place, by name. Still, an archive is
 * refused as a whole when it is ambiguous or built to harm a tool that would extract it
 * (docs/import.md, "Hostile files"): two entries of one name, an entry whose local header names
 * it otherwise than the directory does, entries that share bytes (the overlapping layout of
 * non-recursive zip bombs), and names that are empty, absolute ({@code /x}, {@code C:\x}), hold
 * a {@code ..} segment or a NUL character. No torch.save or numpy archive has any of these. The
 * caps on inflated sizes are {@link ByteSource.Deflated}'s.
 */
public final class ZipArchive {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One entry.
     *
     * @param name           as stored ({@code archive/data/0})
     * @param method         0 stored, 8 deflated, anything else refused on use
     * @param encrypted      whether bit 0 of the flags is set
     * @param compressedSize bytes in the file
     * @param size           bytes once inflated
     * @param dataOffset     file offset of the entry's first byte; -1 when only the directory was read
     * @param localOffset    file offset of the entry's local header
     */
    public record Entry(String name, int method, boolean encrypted, long compressedSize, long size, long dataOffset,
                        long localOffset) {
    }

    private final Path file;
    private final MemorySegment contents;
    private final Map<String, Entry> entries;

    private ZipArchive(Path file, MemorySegment contents, Map<String, Entry> entries) {
        this.file = file;
        this.contents = contents;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * Reads the central directory of {@code contents}.
     *
     * @param file     for messages
     * @param contents the whole file; not modified; must stay valid while this archive is used
     * @throws DataFormatException naming {@code file} if it is truncated or corrupt
     */
    public static ZipArchive read(Path file, MemorySegment contents) {
        try {
            return new ZipArchive(file, contents, directory(file, contents));
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            throw new DataFormatException(file + ": a zip record points outside the file (" + e.getMessage()
                    + "); the file is truncated or corrupt", e);
        }
    }

    /** Every entry, in central-directory order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry named {@code name}, if any. */
    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The bytes of {@code entry}: a slice of the mapping if stored, an inflating source if deflated.
     *
     * @throws DataFormatException naming the file and entry if it is encrypted or uses another method
     */
    public ByteSource source(Entry entry) {
        if (entry.encrypted()) {
            throw new DataFormatException(file + ": zip entry '" + entry.name() + "' is encrypted; sedge reads"
                    + " unencrypted archives only");
        }
        MemorySegment data = contents.asSlice(entry.dataOffset(), entry.compressedSize());
        return switch (entry.method()) {
            case 0 -> {
                if (entry.size() != entry.compressedSize()) {
                    throw new DataFormatException(file + ": stored zip entry '" + entry.name() + "' says it is "
                            + entry.size() + " bytes but occupies " + entry.compressedSize() + "; the file is corrupt");
                }
                yield new ByteSource.Mapped(data);
            }
            case 8 -> new ByteSource.Deflated(data, entry.size(), file, entry.name());
            default -> throw new DataFormatException(file + ": zip entry '" + entry.name() + "' uses compression"
                    + " method " + entry.method() + "; sedge reads stored (0) and deflated (8) entries. Re-save"
                    + " the archive with numpy or torch");
        };
    }

    /**
     * Entry names for recognising a file cheaply: the first local header's name, then, if the
     * file ends with a readable central directory under 4 MB (and not in ZIP64 form), every
     * entry's name. Empty if the file does not start like a zip. Never throws.
     */
    public static List<String> peekNames(Path file) {
        List<String> names = new ArrayList<>();
        try {
            if (!Files.isRegularFile(file)) {
                return names;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                ByteBuffer head = readAt(channel, 0, (int) Math.min(size, 30 + 0xFFFF));
                if (head.limit() < 30 || head.getInt(0) != LOCAL_HEADER) {
                    return names;
                }
                int nameLength = Short.toUnsignedInt(head.getShort(26));
                if (30 + nameLength > head.limit()) {
                    return names;
                }
                names.add(new String(head.array(), 30, nameLength, StandardCharsets.UTF_8));
                names.addAll(directoryNames(file, channel, size));
            }
        } catch (IOException | RuntimeException e) {
            // not recognisable as a zip
        }
        return names;
    }

    /** The central directory's names, or none if it is missing, in ZIP64 form, or over 4 MB. */
    private static List<String> directoryNames(Path file, FileChannel channel, long size) throws IOException {
        int tailLength = (int) Math.min(size, 22 + 0xFFFF);
        long tailStart = size - tailLength;
        MemorySegment tail = MemorySegment.ofBuffer(readAt(channel, tailStart, tailLength));
        long eod = endOfDirectory(tail);
        if (eod < 0 || u16(tail, eod + 10) == 0xFFFF || u32(tail, eod + 16) == U32_MAX) {
            return List.of();
        }
        long directoryStart = u32(tail, eod + 16);
        if (directoryStart > size || size - directoryStart > (4 << 20) + tailLength) {
            return List.of();
        }
        MemorySegment rest = directoryStart >= tailStart ? tail.asSlice(directoryStart - tailStart)
                : MemorySegment.ofBuffer(readAt(channel, directoryStart, (int) (size - directoryStart)));
        try {
            return directory(file, rest, directoryStart).keySet().stream().toList();
        } catch (RuntimeException corrupt) {
            return List.of();
        }
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // fill
        }
        return buffer.flip();
    }

    private static Map<String, Entry> directory(Path file, MemorySegment zip) {
        return directory(file, zip, 0);
    }

    /**
     * Parses the directory from {@code zip}, which holds the file from byte {@code base} to its
     * end (all of it when {@code base} is 0). Local headers are consulted only when the whole
     * file is present.
     */
    private static Map<String, Entry> directory(Path file, MemorySegment zip, long base) {
        long eod = endOfDirectory(zip);
        if (eod < 0) {
            throw new DataFormatException(file + ": no zip end-of-central-directory record; the archive is"
                    + " truncated (an interrupted save or download?) or not a zip. Save or copy it again");
        }
        long count = u16(zip, eod + 10);
        long directorySize = u32(zip, eod + 12);
        long directoryOffset = u32(zip, eod + 16);
        if (count == 0xFFFF || directorySize == U32_MAX || directoryOffset == U32_MAX) {
            long locator = eod - 20;
            if (locator < 0 || zip.get(U32, locator) != ZIP64_LOCATOR) {
                throw new DataFormatException(file + ": the zip directory needs ZIP64 records, but there are none;"
                        + " the file is corrupt");
            }
            long end64 = zip.get(U64, locator + 8) - base;
            if (zip.get(U32, end64) != ZIP64_END) {
                throw new DataFormatException(file + ": the ZIP64 end-of-directory record is missing; the file is corrupt");
            }
            count = zip.get(U64, end64 + 32);
            directorySize = zip.get(U64, end64 + 40);
            directoryOffset = zip.get(U64, end64 + 48);
        }
        if (count < 0 || count > directorySize / 46 || directoryOffset - base + directorySize > eod) {
            throw new DataFormatException(file + ": the zip directory claims " + count + " entries in " + directorySize
                    + " bytes at offset " + directoryOffset + ", which does not fit the file; it is corrupt");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        long at = directoryOffset - base;
        for (long i = 0; i < count; i++) {
            if (zip.get(U32, at) != CENTRAL_HEADER) {
                throw new DataFormatException(file + ": zip directory entry " + i + " is corrupt (bad signature)");
            }
            Entry entry = centralEntry(file, zip, at, base);
            checkName(file, entry.name());
            if (out.putIfAbsent(entry.name(), entry) != null) {
                throw new DataFormatException(file + ": the zip holds two entries named '" + entry.name() + "', so"
                        + " which one is read is ambiguous (a crafted or corrupt archive); sedge refuses it. Re-save"
                        + " the checkpoint with torch.save or numpy");
            }
            at += 46 + u16(zip, at + 28) + u16(zip, at + 30) + u16(zip, at + 32);
        }
        if (base == 0) {
            checkDisjoint(file, out.values());
        }
        return out;
    }

    /**
     * Refuses a name no torch.save or numpy archive has and an extracting tool would misuse: empty, absolute,
     * with a {@code ..} segment (either slash separates), or with a NUL character.
     */
    private static void checkName(Path file, String name) {
        String problem = name.isEmpty() ? "an empty name"
                : name.indexOf('\0') >= 0 ? "a NUL character in its name"
                : name.startsWith("/") || name.startsWith("\\") || name.matches("(?s)[A-Za-z]:.*") ? "an absolute path"
                : List.of(name.split("[/\\\\]")).contains("..") ? "a '..' segment, which leads out of the folder it"
                        + " would be extracted to"
                : null;
        if (problem != null) {
            throw new DataFormatException(file + ": zip entry '" + name.replace("\0", "\\0") + "' has " + problem
                    + ". sedge never extracts an archive, but no torch.save or numpy archive names an entry so, and a"
                    + " tool that extracts this one would write outside its folder; the archive is refused. Re-save"
                    + " the checkpoint with torch.save or numpy");
        }
    }

    /**
     * Refuses entries whose bytes (local header to the end of the data) overlap: each entry of a real archive has
     * its own, and overlapping entries let a small file inflate to many times the ratio cap (a non-recursive zip
     * bomb).
     */
    private static void checkDisjoint(Path file, Iterable<Entry> entries) {
        List<Entry> byOffset = new ArrayList<>();
        entries.forEach(byOffset::add);
        byOffset.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry previous = byOffset.get(i - 1);
            Entry entry = byOffset.get(i);
            if (entry.localOffset() < previous.dataOffset() + previous.compressedSize()) {
                throw new DataFormatException(file + ": zip entries '" + previous.name() + "' and '" + entry.name()
                        + "' share bytes (entry '" + entry.name() + "' starts at byte " + entry.localOffset()
                        + ", inside '" + previous.name() + "', which ends at byte " + (previous.dataOffset()
                        + previous.compressedSize()) + "): the layout of a zip bomb, or a corrupt file. sedge refuses"
                        + " it; re-save the checkpoint with torch.save or numpy");
            }
        }
    }

    private static Entry centralEntry(Path file, MemorySegment zip, long at, long base) {
        int flags = (int) u16(zip, at + 8);
        int method = (int) u16(zip, at + 10);
        long compressed = u32(zip, at + 20);
        long size = u32(zip, at + 24);
        int nameLength = (int) u16(zip, at + 28);
        int extraLength = (int) u16(zip, at + 30);
        long local = u32(zip, at + 42);
        String name = new String(zip.asSlice(at + 46, nameLength).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        long extra = at + 46 + nameLength;
        for (long p = extra; p + 4 <= extra + extraLength; p += 4 + u16(zip, p + 2)) {
            if (u16(zip, p) == 1) { // ZIP64: the 32-bit fields that overflowed, in this order
                long q = p + 4;
                if (size == U32_MAX) {
                    size = zip.get(U64, q);
                    q += 8;
                }
                if (compressed == U32_MAX) {
                    compressed = zip.get(U64, q);
                    q += 8;
                }
                if (local == U32_MAX) {
                    local = zip.get(U64, q);
                }
            }
        }
        long dataOffset = -1;
        if (base == 0) {
            if (zip.get(U32, local) != LOCAL_HEADER) {
                throw new DataFormatException(file + ": the local header of zip entry '" + name
                        + "' is missing; the file is corrupt");
            }
            int localNameLength = (int) u16(zip, local + 26);
            byte[] localName = zip.asSlice(local + 30, localNameLength).toArray(ValueLayout.JAVA_BYTE);
            if (!Arrays.equals(localName, zip.asSlice(at + 46, nameLength).toArray(ValueLayout.JAVA_BYTE))) {
                throw new DataFormatException(file + ": zip entry '" + name + "' is named '" + new String(localName,
                        StandardCharsets.UTF_8) + "' by its local header, so which entry is read depends on the tool"
                        + " (a crafted or corrupt archive); sedge refuses it. Re-save the checkpoint with torch.save or"
                        + " numpy");
            }
            dataOffset = local + 30 + localNameLength + u16(zip, local + 28);
            if (size < 0 || compressed < 0 || Math.addExact(dataOffset, compressed) > zip.byteSize()) {
                throw new DataFormatException(file + ": zip entry '" + name + "' (" + compressed + " bytes at offset "
                        + dataOffset + ") extends past the end of the file; the file is truncated");
            }
        }
        return new Entry(name, method, (flags & 1) != 0, compressed, size, dataOffset, local);
    }

    /** Offset of the end-of-central-directory record, searching back over a comment; -1 if none. */
    private static long endOfDirectory(MemorySegment zip) {
        long size = zip.byteSize();
        for (long at = size - 22; at >= 0 && at >= size - 22 - 0xFFFF; at--) {
            if (zip.get(U32, at) == END_OF_DIRECTORY && at + 22 + u16(zip, at + 20) <= size) {
                return at;
            }
        }
        return -1;
    }

    private static long u16(MemorySegment zip, long at) {
        return Short.toUnsignedLong(zip.get(U16, at));
    }

    private static long u32(MemorySegment zip, long at) {
        return Integer.toUnsignedLong(zip.get(U32, at));
    }
}
