package dev.sedge.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each run as a child process of the sedge launcher: {@code bin/sedge train --no-report CONDITION.json
 * --set seed=N --out RUN}, or {@code bin/sedge train --no-report --resume RUN} (the sweep's report shows every
 * run), its stdout and stderr appended to the
 * log. Each child gets {@code SEDGE_JAVA_OPTS} (the parent's, then
 * {@code -Dai.djl.pytorch.num_threads=T}) so that the runs in parallel share the cores instead of
 * fighting over them, and the same plugins folder as the sweep. Thread-safe.
 */
public final class ProcessExecutor implements RunExecutor {

    private final Path launcher;
    private final int jobs;
    private final int threadsPerRun;
    private final Path pluginsFolder;
    private final Map<String, String> environment;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param launcher      the {@code bin/sedge} script
     * @param jobs          runs at once, ≥ 1
     * @param threadsPerRun PyTorch intra-op threads of each child, ≥ 1
     * @param pluginsFolder passed as {@code --plugins}; null to let the child use its default
     * @param environment   the children's environment (without SEDGE_JAVA_OPTS's thread setting); copied
     */
    public ProcessExecutor(Path launcher, int jobs, int threadsPerRun, Path pluginsFolder,
                           Map<String, String> environment) {
        if (jobs < 1 || threadsPerRun < 1) {
            throw new IllegalArgumentException("jobs and threads per run must be >= 1, found " + jobs + " and "
                    + threadsPerRun);
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("the sedge launcher " + launcher + " is missing or not executable");
        }
        this.launcher = launcher;
        this.jobs = jobs;
        this.threadsPerRun = threadsPerRun;
        this.pluginsFolder = pluginsFolder;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The launcher of the installation at {@code sedgeHome}, {@code jobs} at once, the machine's cores
     * shared evenly ({@code max(1, cores / jobs)} threads each), this process's environment.
     */
    public static ProcessExecutor local(Path sedgeHome, int jobs, Path pluginsFolder) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
        return new ProcessExecutor(sedgeHome.resolve("bin").resolve("sedge"), jobs, threads, pluginsFolder,
                System.getenv());
    }

    @Override
    public Optional<RunFailure> execute(PlannedRun run, Path conditionFile, Action action, Path log) {
        List<String> command = command(launcher, pluginsFolder, run, conditionFile, action);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        Map<String, String> env = childEnvironment();
        builder.environment().putAll(env);
        long offset;
        Process process;
        try {
            appendLine(log, "sweep: SEDGE_JAVA_OPTS='" + env.get("SEDGE_JAVA_OPTS") + "' " + String.join(" ", command));
            offset = Files.size(log);
            process = builder.start();
        } catch (IOException e) {
            return Optional.of(new RunFailure(run.id(), "cannot start " + launcher + ": " + e.getMessage(), log,
                    OptionalInt.empty(), Optional.of(new UncheckedIOException(e))));
        }
        running.add(process);
        try {
            int code = process.waitFor();
            if (code == 0) {
                return Optional.empty();
            }
            return Optional.of(new RunFailure(run.id(), LogTail.reason(log, offset, code), log, OptionalInt.of(code),
                    Optional.empty()));
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            return Optional.of(new RunFailure(run.id(), "interrupted; run the sweep again to resume it", log,
                    OptionalInt.empty(), Optional.empty()));
        } finally {
            running.remove(process);
        }
    }

    /**
     * The command line that trains or resumes {@code run}: {@code LAUNCHER [--plugins DIR] train --no-report
     * CONDITION --set seed=N --out RUN}, or {@code … train --no-report --resume RUN}. Shared with
     * {@link SlurmExecutor}, whose array tasks run exactly this.
     */
    static List<String> command(Path launcher, Path pluginsFolder, PlannedRun run, Path conditionFile, Action action) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        if (pluginsFolder != null) {
            command.addAll(List.of("--plugins", pluginsFolder.toString()));
        }
        command.addAll(List.of("train", "--no-report")); // the sweep's own report shows every run
        if (action == Action.TRAIN) {
            command.addAll(List.of(conditionFile.toString(), "--set", "seed=" + run.seed(), "--out",
                    run.directory().toString()));
        } else {
            command.addAll(List.of("--resume", run.directory().toString()));
        }
        return command;
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        String own = env.getOrDefault("SEDGE_JAVA_OPTS", "").strip();
        env.put("SEDGE_JAVA_OPTS", (own.isEmpty() ? "" : own + " ") + "-Dai.djl.pytorch.num_threads=" + threadsPerRun);
        return env;
    }

    @Override
    public int parallelism() {
        return jobs;
    }

    @Override
    public String description() {
        return jobs + (jobs == 1 ? " child process" : " child processes") + " of " + launcher + " at a time, "
                + threadsPerRun + (threadsPerRun == 1 ? " thread" : " threads") + " each";
    }

    @Override
    public void stopAll() {
        running.forEach(Process::destroy);
    }

    private static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
