package dev.sedge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One external command run by an integration test, with exactly the given environment, its
 * output captured through files in {@code scratch}.
 *
 * @param code its exit code
 * @param out  what it wrote to stdout
 * @param err  what it wrote to stderr
 */
record ProcessRun(int code, String out, String err) {

    /** Runs {@code command} in {@code dir}; fails the test if it takes over two minutes. */
    static ProcessRun of(List<String> command, Map<String, String> env, Path dir, Path scratch)
            throws IOException, InterruptedException {
        return of(command, env, dir, scratch, Duration.ofMinutes(2));
    }

    /**
     * Runs the image's {@code bin/sedge} with {@code args} in {@code folder}, with the test's environment but no
     * {@code SEDGE_JAVA_OPTS} and an empty plugins folder there; fails the test after five minutes.
     */
    static ProcessRun sedge(Path folder, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("sedge.image"), "bin",
                "sedge").toString()));
        command.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("SEDGE_PLUGINS", folder.resolve("plugins").toString());
        env.remove("SEDGE_JAVA_OPTS");
        return of(command, env, folder, folder, Duration.ofMinutes(5));
    }

    /** Runs {@code command} in {@code dir}; fails the test if it takes longer than {@code timeout}. */
    static ProcessRun of(List<String> command, Map<String, String> env, Path dir, Path scratch, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            throw new AssertionError(command + " did not finish in " + timeout.toSeconds() + " s");
        }
        return new ProcessRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Lines on stderr other than the JDK's note that the Vector API is an incubator module. */
    List<String> unexpectedErrors() {
        return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }
}
