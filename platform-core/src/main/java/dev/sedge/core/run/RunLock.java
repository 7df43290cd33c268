package dev.sedge.core.run;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The lock a process holds on a run directory while it writes there, so that two processes never
 * write one run at once (two {@code sedge train --out r}, or a {@code sedge detect r} during
 * training). An operating-system lock on the file {@value #FILE} in the directory, which holds
 * who took it; the lock goes with the process, so a crash leaves no stale lock (the file may stay;
 * it is ignored). Taken at most once per JVM per directory: a second attempt is refused like one
 * from another process. {@link #close()} deletes the file and releases the lock.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file's name in the run directory; a dot-file, which run folders may hold. */
    public static final String FILE = ".lock";

    private final RunLayout layout;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(RunLayout layout, Path file, FileChannel channel, FileLock lock) {
        this.layout = layout;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code root}.
     *
     * @param holder what takes it, for the message another process gets ({@code "sedge train"})
     * @throws DataFormatException if {@code root} is not a folder
     * @throws ConfigException     if another process (or this one) holds it, saying which
     */
    public static RunLock acquire(Path root, String holder) {
        if (!Files.isDirectory(root)) {
            throw new DataFormatException("run directory " + root + " does not exist or is not a folder");
        }
        Path file = root.resolve(FILE);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String who = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new ConfigException("run directory " + root + " is in use: " + (who.isEmpty() ? "another process"
                        : who) + " is writing it. Wait for it to finish, or choose another folder");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + " (pid " + ProcessHandle.current().pid() + ", since "
                    + Instant.now() + ")\n").getBytes(StandardCharsets.UTF_8)));
            return new RunLock(new RunLayout(root), file, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The run directory this lock holds. */
    public RunLayout layout() {
        return layout;
    }

    /** Deletes the lock file, then releases the lock. */
    @Override
    public void close() {
        try (channel) {
            Files.deleteIfExists(file);
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock " + file + ": " + e.getMessage(), e);
        }
    }
}
