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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one way sedge writes a file: to a hidden temporary name in the same folder
 * ({@code .NAME.PID.RANDOM.tmp}), forced to disk, then atomically renamed over the target. A
 * crash leaves either the old file or the new one, never half of one; on failure the temporary
 * file is deleted. A process killed while writing leaves its temporary file behind, which
 * {@link #deleteLeftovers} removes once its writer is gone. Thread-safe.
 */
public final class AtomicFile {

    /** A temporary file's name: the target's, the writer's process id, a random number. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(\\d+)\\.[0-9a-f]+\\.tmp");

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
            throw new UncheckedIOException("cannot write " + absolute + ": " + WriteFailure.reason(e), e);
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

    /**
     * Whether {@code file} is the temporary file of a write that never finished: named like one, and
     * its writer (the process id in the name) is no longer running.
     */
    public static boolean isLeftover(Path file) {
        Matcher m = TEMPORARY.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(m.group(2))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Deletes the leftovers ({@link #isLeftover}) of writes in {@code folder}, not descending; nothing
     * when the folder does not exist. The caller holds the folder's run lock, or otherwise knows that
     * no other process writes there; a temporary file of a running process is kept all the same.
     *
     * @return how many were deleted
     * @throws UncheckedIOException if the folder cannot be listed or a leftover deleted
     */
    public static int deleteLeftovers(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(AtomicFile::isLeftover).toList()) {
                deleted += Files.deleteIfExists(file) ? 1 : 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary files left in " + folder + ": "
                    + WriteFailure.reason(e), e);
        }
        return deleted;
    }

    private static void deleteQuietly(Path temporary, Throwable failure) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
