package dev.sedge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bin/sedge} of the built image started without waiting for it, so that a test can kill it:
 * PyTorch pinned to one thread ({@code SEDGE_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1}, what bit-identity
 * between runs needs), an empty plugins folder, its stdout and stderr in files of {@code scratch}.
 *
 * <p>{@link Process#destroyForcibly()} is SIGKILL on Linux (the JDK's {@code ProcessImpl.destroy(true)});
 * the launcher {@code exec}s the JVM, so the process is the JVM itself once it runs.
 */
final class LaunchedSedge {

    /** The exit value Java reports for a process ended by SIGKILL: 128 + 9. */
    static final int KILLED = 137;

    private final Process process;
    private final Path out;
    private final Path err;
    private final long started;

    private LaunchedSedge(Process process, Path out, Path err, long started) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.started = started;
    }

    /** The environment every launch gets: the test's, one PyTorch thread, plugins from {@code folder/plugins}. */
    static Map<String, String> environment(Path folder) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SEDGE_PLUGINS", folder.resolve("plugins").toString());
        env.put("SEDGE_JAVA_OPTS", "-Dai.djl.pytorch.num_threads=1");
        return env;
    }

    /** The image's launcher followed by {@code args}. */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("sedge.image"), "bin", "sedge")
                .toString()));
        command.addAll(args);
        return command;
    }

    /** Starts {@code bin/sedge ARGS} in {@code folder}. */
    static LaunchedSedge start(Path folder, Path scratch, List<String> args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).directory(folder.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(folder));
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        long started = System.nanoTime();
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new LaunchedSedge(process, out, err, started);
    }

    /** Runs {@code bin/sedge ARGS} in {@code folder} to its end (at most five minutes). */
    static ProcessRun run(Path folder, Path scratch, List<String> args) throws IOException, InterruptedException {
        return ProcessRun.of(command(args), environment(folder), folder, scratch, Duration.ofMinutes(5));
    }

    /** Nanoseconds since the launch. */
    long elapsedNanos() {
        return System.nanoTime() - started;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How many processes it has started that are still running (children, theirs …). */
    long descendants() {
        return process.descendants().filter(ProcessHandle::isAlive).count();
    }

    /**
     * Kills the process and every process it started (a sweep's children and theirs) with SIGKILL, and
     * waits for them to be gone. The children are found twice: among the descendants before the kill,
     * and then, since a child started meanwhile would have lost its parent, among all processes whose
     * command line holds {@code marker} (a folder only this test uses).
     *
     * @return the exit value of the process: {@link #KILLED}, or what it returned if it ended by itself first
     */
    int killTree(String marker) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not die of SIGKILL in 30 s");
        }
        List<ProcessHandle> others = new ArrayList<>(tree);
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self && p.info().arguments()
                .map(a -> String.join(" ", a).contains(marker)).orElse(false)).forEach(others::add);
        for (ProcessHandle p : others) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : others) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("child process " + p.pid() + " did not die of SIGKILL in 30 s", e);
            }
        }
        return process.exitValue();
    }

    /** Waits for the end (at most five minutes) and returns what it printed. */
    ProcessRun finish() throws IOException, InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("sedge did not finish in five minutes");
        }
        return new ProcessRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** What it wrote to stderr so far. */
    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }
}
