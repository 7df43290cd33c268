package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plugin of {@code examples/plugin-example} built the plainest way its author could: javac
 * against the jars of the sedge image and nothing else, then jar (no module version, no manifest
 * version). Maven's build of the same example is {@code TarballIT}'s.
 */
final class ExamplePluginJar {

    private ExamplePluginJar() {
    }

    /** Builds the example into {@code jar}, using {@code scratch} for classes; returns {@code jar}. */
    static Path build(Path image, Path example, Path scratch, Path jar) throws Exception {
        Path classes = Files.createDirectories(scratch.resolve("example-classes"));
        Path jdk = Path.of(System.getProperty("java.home"), "bin");
        List<String> javac = new ArrayList<>(List.of(jdk.resolve("javac").toString(), "--release", "25",
                "--module-path", image.resolve("lib").toString(), "-d", classes.toString()));
        try (Stream<Path> sources = Files.walk(example.resolve("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(javac::add);
        }
        ProcessRun compiled = ProcessRun.of(javac, System.getenv(), scratch, scratch);
        assertEquals(0, compiled.code(), "the example does not compile against the image's API: " + compiled.err());
        ProcessRun jarred = ProcessRun.of(List.of(jdk.resolve("jar").toString(), "--create",
                "--file", jar.toString(), "-C", classes.toString(), ".",
                "-C", example.resolve("src/main/resources").toString(), "."), System.getenv(), scratch, scratch);
        assertEquals(0, jarred.code(), jarred.err());
        return jar;
    }
}
