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
     * A raw DEFLATE stream (a compressed zip entry), inflated on each {@link #bytes} call.
     *
     * @param compressed   the stream, a slice of the mapped file
     * @param inflatedSize the size the zip directory promises
     * @param file         for messages
     * @param entry        the zip entry's name, for messages
     */
    record Deflated(MemorySegment compressed, long inflatedSize, Path file, String entry) implements ByteSource {

        /** DEFLATE never expands more than about 1032:1; a larger promise is a corrupt or hostile file. */
        private static final long MAX_RATIO = 1032;

        /** @throws DataFormatException if {@code inflatedSize} is impossible for the compressed size */
        public Deflated {
            if (inflatedSize < 0 || inflatedSize > compressed.byteSize() * MAX_RATIO + 1024) {
                throw new DataFormatException(file + ": zip entry '" + entry + "' claims to inflate "
                        + compressed.byteSize() + " bytes to " + inflatedSize + ", beyond what DEFLATE can do;"
                        + " the file is corrupt");
            }
        }

        @Override
        public long size() {
            return inflatedSize;
        }

        @Override
        public MemorySegment bytes(Arena scratch) {
            MemorySegment out = scratch.allocate(inflatedSize);
            long produced = Inflation.inflate(compressed, out, file, entry);
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
            Inflation.inflate(compressed, out, file, entry);
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
