package dev.sedge.formats.store;

import dev.sedge.api.DataFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Where the bytes of a stored tensor (or storage) come from. */
public sealed interface ByteSource {

    /** The number of bytes this source yields. */
    long size();

    /**
     * The bytes, valid while {@code scratch} is open: a mapped slice is returned as is; a
     * compressed entry is inflated into memory allocated from {@code scratch}.
     *
     * @throws DataFormatException if compressed bytes are corrupt
     */
    MemorySegment bytes(Arena scratch);

    /** At most {@code max} leading bytes, copied. */
    byte[] prefix(int max);

    /** Bytes that are already addressable: a slice of a mapped file, or a heap segment. */
    record Mapped(MemorySegment segment) implements ByteSource {

        @Override
        public long size() {
            return segment.byteSize();
        }

        @Override
        public MemorySegment bytes(Arena scratch) {
            return segment;
        }

        @Override
        public byte[] prefix(int max) {
            return segment.asSlice(0, Math.min(max, segment.byteSize())).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * A raw DEFLATE stream (a compressed zip entry), inflated on each {@link #bytes} call into memory of
     * exactly the size the zip directory promises, never more.
     *
     * <p>Two caps refuse a zip bomb before a byte is inflated (docs/import.md, "Hostile files"): the promised
     * size may be at most {@value #MAX_RATIO} times the compressed size (DEFLATE's own limit, so no real entry
     * is refused; all-zero tensors come close to it), and at most {@value #MAX_INFLATED} bytes (4 GiB) whatever
     * the ratio. A stream that inflates to more than it promised is refused when the promise is reached.
     *
     * @param compressed   the stream, a slice of the mapped file
     * @param inflatedSize the size the zip directory promises
     * @param file         for messages
     * @param entry        the zip entry's name, for messages
     */
    record Deflated(MemorySegment compressed, long inflatedSize, Path file, String entry) implements ByteSource {

        /** DEFLATE never expands more than about 1032:1; a larger promise is a corrupt or hostile file. */
        public static final long MAX_RATIO = 1032;

        /**
         * The most one compressed entry may inflate to, whatever its ratio: 4 GiB (a 1-billion-element float32
         * array). Larger arrays are saved uncompressed ({@code np.savez}, {@code torch.save}), and are mapped, not
         * inflated.
         */
        public static final long MAX_INFLATED = 1L << 32;

        /** @throws DataFormatException if {@code inflatedSize} is negative or over either cap */
        public Deflated {
            if (inflatedSize < 0 || inflatedSize > compressed.byteSize() * MAX_RATIO + 1024) {
                throw new DataFormatException(file + ": zip entry '" + entry + "' claims to inflate "
                        + compressed.byteSize() + " bytes to " + inflatedSize + ", more than DEFLATE's limit of "
                        + MAX_RATIO + " to 1: a zip bomb or a corrupt file, refused before inflating anything."
                        + " Re-save the checkpoint with torch.save or numpy");
            }
            if (inflatedSize > MAX_INFLATED) {
                throw new DataFormatException(file + ": zip entry '" + entry + "' inflates to " + inflatedSize
                        + " bytes, over sedge's cap of " + MAX_INFLATED + " bytes (4 GiB) for one compressed entry;"
                        + " refused before inflating anything. Save large arrays uncompressed (np.savez, not"
                        + " np.savez_compressed): they are read in place, with no cap");
            }
        }

        @Override
        public long size() {
            return inflatedSize;
        }

        @Override
        public MemorySegment bytes(Arena scratch) {
            MemorySegment out = scratch.allocate(inflatedSize);
            long produced = Inflation.inflate(compressed, out, file, entry, true);
            if (produced != inflatedSize) {
                throw new DataFormatException(file + ": zip entry '" + entry + "' inflates to " + produced
                        + " bytes, but the zip directory says " + inflatedSize + "; the file is corrupt");
            }
            return out;
        }

        @Override
        public byte[] prefix(int max) {
            int n = (int) Math.min(max, inflatedSize);
            MemorySegment out = MemorySegment.ofArray(new byte[n]);
            Inflation.inflate(compressed, out, file, entry, false);
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
