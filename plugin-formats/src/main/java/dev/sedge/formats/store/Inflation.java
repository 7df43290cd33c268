package dev.sedge.formats.store;

import dev.sedge.api.DataFormatException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.Inflater;

/** Inflates a raw DEFLATE stream (a zip entry) between memory segments, 1 MB at a time. */
final class Inflation {

    private static final int CHUNK = 1 << 20;

    private Inflation() {
    }

    /**
     * Inflates {@code in} into {@code out} until {@code out} is full or the stream ends.
     *
     * @param in  not modified
     * @param out modified: the first (returned) bytes are written
     * @return the number of bytes written
     * @throws DataFormatException naming {@code file} and {@code entry} if the stream is corrupt
     *         or ends before {@code out} is full and before its end marker
     */
    static long inflate(MemorySegment in, MemorySegment out, Path file, String entry) {
        Inflater inflater = new Inflater(true);
        try {
            long inPos = 0;
            long outPos = 0;
            while (outPos < out.byteSize() && !inflater.finished()) {
                if (inflater.needsInput()) {
                    if (inPos >= in.byteSize()) {
                        throw new DataFormatException(file + ": zip entry '" + entry
                                + "' ends in the middle of its compressed data; the file is truncated or corrupt");
                    }
                    int n = (int) Math.min(CHUNK, in.byteSize() - inPos);
                    inflater.setInput(in.asSlice(inPos, n).asByteBuffer());
                    inPos += n;
                }
                ByteBuffer dst = out.asSlice(outPos, Math.min(CHUNK, out.byteSize() - outPos)).asByteBuffer();
                int produced = inflater.inflate(dst);
                outPos += produced;
                if (produced == 0 && inflater.needsDictionary()) {
                    throw new DataFormatException(file + ": zip entry '" + entry
                            + "' needs a preset dictionary, which zip entries never use; the file is corrupt");
                }
            }
            return outPos;
        } catch (java.util.zip.DataFormatException e) {
            throw new DataFormatException(file + ": zip entry '" + entry + "' is not valid DEFLATE data ("
                    + e.getMessage() + "); the file is corrupt", e);
        } finally {
            inflater.end();
        }
    }
}
