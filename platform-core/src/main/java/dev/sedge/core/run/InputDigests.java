package dev.sedge.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SHA-256 digests of the files a result was computed from, for the {@code inputs} of its provenance
 * (docs/run-directory.md, "Provenance"). Stateless.
 */
public final class InputDigests {

    private static final int BUFFER = 1 << 20;

    private InputDigests() {
    }

    /**
     * The digests of {@code files}, each under its path relative to {@code base} when it lies below
     * it (else its absolute path), with {@code /} as separator.
     *
     * @throws UncheckedIOException naming the file that cannot be read
     */
    public static SortedMap<String, String> of(Path base, Collection<Path> files) {
        SortedMap<String, String> digests = new TreeMap<>();
        for (Path file : files) {
            digests.put(name(base, file), sha256(file));
        }
        return digests;
    }

    /** {@code file}'s key among the inputs: relative to {@code base} when below it, else absolute; {@code /}-separated. */
    private static String name(Path base, Path file) {
        Path root = base.toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        Path name = absolute.startsWith(root) ? root.relativize(absolute) : absolute;
        return name.toString().replace(name.getFileSystem().getSeparator(), "/");
    }

    /**
     * Digests files on a thread of its own while the caller goes on with them, so that a job that reads
     * each input once (the spectrum of a trajectory) pays for the digests with the core it leaves idle,
     * not with its own time: submit each file right after reading it, while its pages are in the cache.
     * Used by one thread; {@link #close()} stops the digesting thread.
     */
    public static final class Background implements AutoCloseable {

        private final ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("sedge-digest").factory());
        private final Map<Path, Future<String>> pending = new LinkedHashMap<>();

        /** Starts digesting {@code file}; a file submitted twice is digested once. */
        public void submit(Path file) {
            pending.computeIfAbsent(file, f -> thread.submit(() -> sha256(f)));
        }

        /**
         * Every submitted file's digest, keyed as {@link InputDigests#of} keys them; waits for the last.
         *
         * @throws UncheckedIOException naming a file that could not be read
         */
        public SortedMap<String, String> await(Path base) {
            SortedMap<String, String> digests = new TreeMap<>();
            for (Map.Entry<Path, Future<String>> e : pending.entrySet()) {
                try {
                    digests.put(name(base, e.getKey()), e.getValue().get());
                } catch (ExecutionException failure) {
                    throw failure.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("digesting " + e.getKey() + " failed", failure.getCause());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while digesting " + e.getKey(), interrupted);
                }
            }
            return digests;
        }

        /** Stops the thread; digests not awaited are abandoned. Idempotent. */
        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    /**
     * The SHA-256 of {@code file}'s bytes, lower-case hex.
     *
     * @throws UncheckedIOException naming the file if it cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to record its digest: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
