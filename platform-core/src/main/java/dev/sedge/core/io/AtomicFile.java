package dev.sedge.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way sedge writes a file: to a hidden temporary name in the same folder
 * ({@code .NAME.PID.RANDOM.tmp}), forced to disk, then atomically renamed over the target. A
 * crash leaves either the old file or the new one, never half of one; on failure the temporary
 * file is deleted. Thread-safe.
 */
public final class AtomicFile {

    /** Writes a file's content to an open channel. */
    @FunctionalInterface
    public interface Body {
        /** Writes everything; the channel is positioned at 0 and closed by the caller. */
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} atomically.
     *
     * @throws UncheckedIOException naming the file, with advice, if it cannot be written
     */
    public static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                body.writeTo(out);
                out.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temporary, e);
            throw new UncheckedIOException("cannot write " + absolute + ": " + e.getMessage()
                    + "; check that the folder exists, is writable and has space", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temporary, e);
            throw e;
        }
    }

    /** Writes {@code content} as UTF-8, atomically. */
    public static void writeString(Path target, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /** Writes all remaining bytes of {@code buffer}. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void deleteQuietly(Path temporary, Throwable failure) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
