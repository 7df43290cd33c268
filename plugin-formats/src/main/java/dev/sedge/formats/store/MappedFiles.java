package dev.sedge.formats.store;

import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a file as one read-only memory mapping, and builds a checkpoint over it. */
public final class MappedFiles {

    /** Builds a checkpoint over a mapped file; throws {@link DataFormatException} for bad content. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param contents the whole file; valid while {@code arena} is open
         * @param arena    owns the mapping; the returned checkpoint closes it
         */
        StoredCheckpoint read(MemorySegment contents, Arena arena);
    }

    private MappedFiles() {
    }

    /**
     * Maps {@code file} into a new shared arena and hands it to {@code reader}; if the reader
     * throws, the mapping is released before the exception propagates.
     *
     * @throws DataFormatException naming {@code file} if it is not a readable regular file
     */
    public static StoredCheckpoint open(Path file, Reader reader) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": not a readable regular file; give the path of a checkpoint file");
        }
        Arena arena = Arena.ofShared();
        try {
            return reader.read(map(file, arena), arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * The whole of {@code file}, mapped read-only into {@code arena}.
     *
     * @throws DataFormatException naming {@code file} if it cannot be read
     */
    public static MemorySegment map(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read the file: " + e.getMessage(), e);
        }
    }
}
