package dev.sedge.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder and everything under it, removed. Stateless. */
public final class FileTree {

    private FileTree() {
    }

    /**
     * Deletes {@code root} and everything under it, children before their folder; nothing if it does not exist.
     *
     * @throws IOException if an entry cannot be deleted (the ones before it are gone)
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
