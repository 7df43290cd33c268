package dev.sedge.formats.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Zip archives written byte by byte, for hostile inputs {@link java.util.zip.ZipOutputStream}
 * refuses to write: two entries of one name, names with {@code ..}, a local header that names an
 * entry otherwise than the directory, entries that share bytes, sizes that lie. Each entry is a
 * local header and its data, then the central directory and its end record; a size of 4 GiB or more
 * goes into a ZIP64 extra field of the directory (and the end record stays 32-bit).
 */
public final class ZipBytes {

    /**
     * One entry.
     *
     * @param name        in the central directory
     * @param localName   in the local header (normally {@code name})
     * @param method      0 stored, 8 deflated
     * @param data        the bytes stored in the file (compressed if deflated)
     * @param claimedSize the inflated size the directory promises
     * @param crc         CRC-32 of the inflated bytes (sedge does not check it; Python does)
     */
    public record Entry(String name, String localName, int method, byte[] data, long claimedSize, long crc) {

        /** A stored entry of {@code content}. */
        public static Entry stored(String name, byte[] content) {
            return new Entry(name, name, 0, content, content.length, crc32(content));
        }

        /** A deflated entry of {@code content}. */
        public static Entry deflated(String name, byte[] content) {
            return new Entry(name, name, 8, deflate(content), content.length, crc32(content));
        }

        /** This entry, its local header naming it {@code other}. */
        public Entry localNamed(String other) {
            return new Entry(name, other, method, data, claimedSize, crc);
        }
    }

    private ZipBytes() {
    }

    /** The archive of {@code entries}, each with its own local header and data. */
    public static byte[] of(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            out.writeBytes(local(e));
            out.writeBytes(e.data());
        }
        return withDirectory(out, entries, offsets);
    }

    /**
     * An archive whose entries' data all lie in one stretch: entry {@code i}'s local header sits inside the data of
     * entry {@code i - 1}, which is stored and runs to the end of the stretch (the overlapping layout of a
     * non-recursive zip bomb). {@code last} is the innermost entry.
     */
    public static byte[] overlapping(List<String> outerNames, Entry last) {
        byte[] inner = concat(local(last), last.data());
        List<Entry> entries = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<byte[]> headers = new ArrayList<>();
        for (int i = outerNames.size() - 1; i >= 0; i--) {
            Entry e = Entry.stored(outerNames.get(i), inner);
            byte[] header = local(e);
            headers.addFirst(header);
            entries.addFirst(e);
            inner = concat(header, inner);
        }
        long at = 0;
        for (byte[] header : headers) {
            offsets.add(at);
            at += header.length;
        }
        entries.add(last);
        offsets.add(at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(inner);
        return withDirectory(out, entries, offsets);
    }

    /** Writes {@link #of(List)} to {@code file}. */
    public static Path write(Path file, List<Entry> entries) {
        try {
            return Files.write(file, of(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw DEFLATE of {@code content}. */
    public static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /**
     * Writes a raw DEFLATE stream that inflates to {@code head} followed by {@code megabytes} MiB of zeros, in a few
     * KB per GB: the first MiB is deflated once, and every further MiB is the same block of back-references,
     * repeated (each ends on a byte boundary, a sync flush), then an empty final block.
     */
    public static void writeZeroBomb(OutputStream out, byte[] head, long megabytes) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        out.write(syncFlushed(deflater, concat(head, zeros)));
        byte[] repeat = syncFlushed(deflater, zeros);
        deflater.end();
        for (long i = 1; i < megabytes; i++) {
            out.write(repeat);
        }
        out.write(new byte[] {0x03, 0x00}); // a final, empty block of fixed Huffman codes
    }

    private static byte[] syncFlushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    private static byte[] local(Entry e) {
        byte[] name = e.localName().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) e.method())
                .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc())
                .putInt((int) Math.min(e.data().length, 0xFFFFFFFFL)).putInt((int) Math.min(e.claimedSize(), 0xFFFFFFFFL))
                .putShort((short) name.length).putShort((short) 0).put(name);
        return b.array();
    }

    private static byte[] withDirectory(ByteArrayOutputStream out, List<Entry> entries, List<Long> offsets) {
        long start = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            boolean zip64 = e.claimedSize() >= 0xFFFFFFFFL;
            ByteBuffer b = ByteBuffer.allocate(46 + name.length + (zip64 ? 12 : 0)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0x02014b50).putShort((short) 45).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0)
                    .putShort((short) e.method()).putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc())
                    .putInt(e.data().length).putInt(zip64 ? -1 : (int) e.claimedSize())
                    .putShort((short) name.length).putShort((short) (zip64 ? 12 : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (long) offsets.get(i)).put(name);
            if (zip64) {
                b.putShort((short) 1).putShort((short) 8).putLong(e.claimedSize());
            }
            out.writeBytes(b.array());
        }
        long size = out.size() - start;
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt((int) size).putInt((int) start).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static long crc32(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
