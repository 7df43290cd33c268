package dev.sedge.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer's entry point: each input goes to the reader that the system property
 * {@code sedge.fuzz.target} names ({@code safetensors}, {@code run-json} …), in a scratch folder
 * of this JVM's own.
 */
public final class FuzzEntry {

    private static Reader reader;
    private static Path scratch;

    private FuzzEntry() {
    }

    /** Called once by Jazzer before the first input. */
    public static void fuzzerInitialize() throws IOException {
        reader = Reader.byId(System.getProperty("sedge.fuzz.target", ""));
        scratch = Files.createTempDirectory("sedge-fuzz-" + reader.id() + "-");
    }

    /** Called by Jazzer with every input. */
    public static void fuzzerTestOneInput(byte[] data) {
        reader.accept(data, scratch);
    }

    /** Called once by Jazzer after the last input. */
    public static void fuzzerTearDown() throws IOException {
        Files.deleteIfExists(scratch);
    }
}
