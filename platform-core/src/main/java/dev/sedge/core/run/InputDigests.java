package dev.sedge.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;

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
        Path root = base.toAbsolutePath().normalize();
        SortedMap<String, String> digests = new TreeMap<>();
        for (Path file : files) {
            Path absolute = file.toAbsolutePath().normalize();
            Path name = absolute.startsWith(root) ? root.relativize(absolute) : absolute;
            digests.put(name.toString().replace(name.getFileSystem().getSeparator(), "/"), sha256(file));
        }
        return digests;
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
