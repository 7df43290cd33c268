package dev.sedge.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoint fixtures written by {@code fixtures/make_fixtures.py}: in the folder named by
 * the system property {@code sedge.fixtures}, else {@code ../fixtures/data} from the module folder
 * (where surefire runs).
 */
final class Fixtures {

    private Fixtures() {
    }

    static Path root() {
        String property = System.getProperty("sedge.fixtures");
        Path root = (property != null ? Path.of(property) : Path.of("..", "fixtures", "data")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no fixtures at " + root + "; run /usr/bin/python3 fixtures/make_fixtures.py"
                    + " from the repository root, or set -Dsedge.fixtures");
        }
        return root;
    }

    static Path file(String relative) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("fixture " + file + " is missing; re-run fixtures/make_fixtures.py");
        }
        return file;
    }

    /** Every fixture file, sorted. */
    static List<Path> all() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code expected.json}: per reference file and tensor, dtype, shape, first value and float64 sum. */
    static JsonNode expected() {
        try {
            return JsonMapper.builder().build().readTree(file("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
