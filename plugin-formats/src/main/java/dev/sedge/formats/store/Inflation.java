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
     * @param in    not modified
     * @param out   modified: the first (returned) bytes are written
     * @param exact whether a stream that goes on after {@code out} is full is refused (the whole entry is being
     *              read), rather than cut there (a prefix is being read)
     * @return the number of bytes written
     * @throws DataFormatException naming {@code file} and {@code entry} if the stream is corrupt, ends before
     *         {@code out} is full and before its end marker, or (when {@code exact}) would inflate past {@code out}:
     *         that is found at the first byte past it, so no more is ever inflated or held
     */
    static long inflate(MemorySegment in, MemorySegment out, Path file, String entry, boolean exact) {
        Inflater inflater = new Inflater(true);
        try {
            Input input = new Input(in);
            long outPos = 0;
            while (outPos < out.byteSize() && !inflater.finished()) {
                if (inflater.needsInput() && !input.feed(inflater)) {
                    throw new DataFormatException(file + ": zip entry '" + entry
                            + "' ends in the middle of its compressed data; the file is truncated or corrupt");
                }
                ByteBuffer dst = out.asSlice(outPos, Math.min(CHUNK, out.byteSize() - outPos)).asByteBuffer();
                int produced = inflater.inflate(dst);
                outPos += produced;
                if (produced == 0 && inflater.needsDictionary()) {
                    throw needsDictionary(file, entry);
                }
            }
            if (exact && outPos == out.byteSize()) {
                ByteBuffer probe = ByteBuffer.allocate(1);
                while (!inflater.finished()) {
                    if (inflater.needsInput() && !input.feed(inflater)) {
                        break; // no end marker after the promised bytes: tolerated, as every zip reader does
                    }
                    long read = inflater.getBytesRead();
                    if (inflater.inflate(probe) > 0) {
                        throw new DataFormatException(file + ": zip entry '" + entry + "' inflates to more than the "
                                + out.byteSize() + " bytes the zip directory says (stopped there): a zip bomb or a"
                                + " corrupt file. Re-save the checkpoint with torch.save or numpy");
                    }
                    if (inflater.needsDictionary()) {
                        throw needsDictionary(file, entry);
                    }
                    if (inflater.getBytesRead() == read && !inflater.needsInput() && !inflater.finished()) {
                        break; // no progress either way: nothing more comes out
                    }
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

    private static DataFormatException needsDictionary(Path file, String entry) {
        return new DataFormatException(file + ": zip entry '" + entry
                + "' needs a preset dictionary, which zip entries never use; the file is corrupt");
    }

    /** The compressed stream, handed to the inflater a chunk at a time. */
    private static final class Input {
        private final MemorySegment in;
        private long pos;

        Input(MemorySegment in) {
            this.in = in;
        }

        /** Gives the inflater the next chunk; false if the stream has none left. */
        boolean feed(Inflater inflater) {
            if (pos >= in.byteSize()) {
                return false;
            }
            int n = (int) Math.min(CHUNK, in.byteSize() - pos);
            inflater.setInput(in.asSlice(pos, n).asByteBuffer());
            pos += n;
            return true;
        }
    }
}
