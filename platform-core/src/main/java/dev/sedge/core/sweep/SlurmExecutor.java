package dev.sedge.core.sweep;

import dev.sedge.api.ConfigException;
import dev.sedge.core.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the runs of a sweep as one Slurm job array: {@code sbatch --array=0-(n-1)}, task {@code i} running
 * the same {@code bin/sedge train} command line as {@link ProcessExecutor} for the {@code i}-th run, into
 * the shared sweep folder. Waits for the array to end, polling {@code squeue}; tells the sweep as each
 * task starts and ends.
 *
 * <p>What it writes, in {@code OUT/.slurm/}: {@code task.sh} (the array's batch script),
 * {@code array-<time>.tasks} (line {@code i}: task {@code i}'s log, status file and command, shell-quoted;
 * written atomically before submission), {@code array-<time>.<i>.exit} (the exit code of task {@code i}'s
 * {@code sedge train}, written by the task when the command returns; absent when Slurm killed the task),
 * {@code array-<time>.<i>.out} (Slurm's output of the task: only the batch script's own, the run's goes to
 * its log) and {@code job} (the array's job id and tasks file, for {@code --status} and for refusing a
 * second submission while one is active). sbatch, squeue, scontrol and scancel run as processes. A task's
 * PyTorch thread count is {@code SLURM_CPUS_PER_TASK} (1 unless {@code --slurm-opt cpus-per-task=N}).
 * Thread-safe.
 */
public final class SlurmExecutor implements RunExecutor {

    /** The executor's folder inside the sweep folder. */
    public static final String FOLDER = ".slurm";
    /** {@code OUT/.slurm/job}: the last array's job id and tasks file. */
    public static final String JOB_FILE = "job";

    /** Consecutive squeue failures tolerated while waiting (a busy controller times out now and then). */
    private static final int SQUEUE_TRIES = 10;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private static final String SCRIPT = """
            #!/bin/sh
            # Written by sedge sweep --executor slurm: runs array task $SLURM_ARRAY_TASK_ID of the tasks file $1,
            # whose line i+1 is: the run's log, its status file, the sedge command (each shell-quoted).
            line=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$1")
            eval "set -- $line"
            log="$1"; status="$2"; shift 2
            SEDGE_JAVA_OPTS="${SEDGE_JAVA_OPTS:+$SEDGE_JAVA_OPTS }-Dai.djl.pytorch.num_threads=${SLURM_CPUS_PER_TASK:-1}"
            export SEDGE_JAVA_OPTS
            echo "sweep: slurm task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname): SEDGE_JAVA_OPTS='$SEDGE_JAVA_OPTS' $*" >> "$log"
            "$@" >> "$log" 2>&1
            code=$?
            echo "$code" > "$status.tmp" && mv -f "$status.tmp" "$status"
            exit "$code"
            """;

    private final Path launcher;
    private final Path pluginsFolder;
    private final Path sweepFolder;
    private final List<String> options;
    private final int expectedParallelism;
    private final Duration poll;
    private final Path slurmBin;
    private volatile String activeJob;

    /**
     * @param launcher            the {@code bin/sedge} script, on a file system every node sees
     * @param pluginsFolder       passed as {@code --plugins}; null to let the tasks use their default
     * @param sweepFolder         the sweep folder {@code OUT}, shared with every node
     * @param options             sbatch options as {@code KEY=VALUE} or {@code KEY} ({@code partition=debug},
     *                            {@code time=00:30:00}), passed as {@code --KEY=VALUE}; copied
     * @param expectedParallelism how many tasks are expected to run at once (only the time estimate uses it), ≥ 1
     * @param poll                how often squeue is asked
     * @param slurmBin            the folder of sbatch, squeue, scontrol and scancel; null: found on PATH
     * @throws ConfigException    if an option is malformed or is one the executor sets itself
     */
    public SlurmExecutor(Path launcher, Path pluginsFolder, Path sweepFolder, List<String> options,
                         int expectedParallelism, Duration poll, Path slurmBin) {
        this.launcher = launcher;
        this.pluginsFolder = pluginsFolder;
        this.sweepFolder = sweepFolder;
        this.options = sbatchOptions(options);
        this.expectedParallelism = Math.max(1, expectedParallelism);
        this.poll = poll;
        this.slurmBin = slurmBin;
    }

    /** {@code partition=debug} → {@code --partition=debug}; {@code exclusive} → {@code --exclusive}. */
    static List<String> sbatchOptions(List<String> options) {
        List<String> out = new ArrayList<>();
        for (String option : options) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            key = key.strip().replaceFirst("^--?", "");
            if (!key.matches("[a-z][a-z0-9-]*")) {
                throw new ConfigException("--slurm-opt takes KEY=VALUE or KEY with KEY an sbatch option such as"
                        + " partition, time, mem, account or cpus-per-task, found '" + option + "'");
            }
            if (List.of("array", "output", "error", "parsable", "wrap", "job-name").contains(key)) {
                throw new ConfigException("--slurm-opt " + key + " is set by the sweep itself; leave it out");
            }
            out.add("--" + key + (option.contains("=") ? "=" + option.substring(option.indexOf('=') + 1) : ""));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<RunFailure> execute(PlannedRun run, Path conditionFile, Action action, Path log) {
        List<Optional<RunFailure>> ended = new ArrayList<>();
        try {
            executeAll(List.of(new Job(run, conditionFile, action, log)), new Progress() {
                @Override
                public void started(Job job) {
                }

                @Override
                public void ended(Job job, Optional<RunFailure> failure) {
                    ended.add(failure);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new RunFailure(run.id(), "interrupted; run the sweep again to resume it", log,
                    OptionalInt.empty(), Optional.empty()));
        }
        return ended.getFirst();
    }

    /**
     * Submits one array for {@code jobs} and waits until every task ended.
     *
     * @throws ConfigException       if sbatch refuses the array (its message, e.g. an unknown partition)
     * @throws InterruptedException  if interrupted while waiting; the array is then cancelled
     */
    @Override
    public void executeAll(List<Job> jobs, Progress progress) throws InterruptedException {
        if (jobs.isEmpty()) {
            return;
        }
        Path folder = sweepFolder.resolve(FOLDER);
        String name = "array-" + LocalDateTime.now().format(STAMP);
        Path tasks = folder.resolve(name + ".tasks");
        Path script = folder.resolve("task.sh");
        long[] offsets = new long[jobs.size()];
        StringBuilder lines = new StringBuilder();
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                List<String> fields = new ArrayList<>(List.of(job.log().toAbsolutePath().toString(),
                        statusFile(folder, name, i).toAbsolutePath().toString()));
                fields.addAll(ProcessExecutor.command(launcher, pluginsFolder, job.run(), job.conditionFile(),
                        job.action()));
                lines.append(String.join(" ", fields.stream().map(SlurmExecutor::quote).toList())).append('\n');
                offsets[i] = Files.exists(job.log()) ? Files.size(job.log()) : 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Slurm tasks in " + folder + ": " + e.getMessage(), e);
        }
        AtomicFile.writeString(script, SCRIPT);
        script.toFile().setExecutable(true);
        AtomicFile.writeString(tasks, lines.toString());
        List<String> sbatch = new ArrayList<>(List.of(tool("sbatch"), "--parsable", "--array=0-" + (jobs.size() - 1),
                "--job-name=sedge-" + sweepFolder.toAbsolutePath().getFileName(),
                "--output=" + folder.toAbsolutePath().resolve(name + ".%a.out")));
        sbatch.addAll(options);
        sbatch.addAll(List.of(script.toAbsolutePath().toString(), tasks.toAbsolutePath().toString()));
        Result submitted = run(sbatch);
        if (submitted.code() != 0) {
            throw new ConfigException("sbatch refused the sweep's job array (exit code " + submitted.code() + "): "
                    + submitted.output().strip() + "; command: " + String.join(" ", sbatch));
        }
        String jobId = submitted.output().strip().lines().reduce((a, b) -> b).orElse("").split(";")[0].strip();
        if (!jobId.matches("\\d+")) {
            throw new ConfigException("sbatch answered '" + submitted.output().strip() + "', not a job id");
        }
        activeJob = jobId;
        AtomicFile.writeString(folder.resolve(JOB_FILE), jobId + " " + tasks.getFileName() + "\n");
        try {
            await(jobId, jobs, progress, folder, name, offsets);
        } catch (InterruptedException e) {
            stopAll();
            throw e;
        } finally {
            activeJob = null;
        }
    }

    private void await(String jobId, List<Job> jobs, Progress progress, Path folder, String name, long[] offsets)
            throws InterruptedException {
        boolean[] started = new boolean[jobs.size()];
        boolean[] ended = new boolean[jobs.size()];
        int left = jobs.size();
        int unanswered = 0;
        while (left > 0) {
            Map<Integer, String> states;
            try {
                states = queued(jobId);
                unanswered = 0;
            } catch (UncheckedIOException e) {
                if (++unanswered >= SQUEUE_TRIES) { // the array runs on; the sweep run again collects it
                    throw new UncheckedIOException("squeue failed " + SQUEUE_TRIES + " times in a row while waiting for"
                            + " job array " + jobId + " (" + e.getMessage() + "); the array goes on: run the sweep"
                            + " again once it ended (sedge sweep --status " + sweepFolder + ")", e.getCause());
                }
                Thread.sleep(poll.multipliedBy(unanswered));
                continue;
            }
            for (int i = 0; i < jobs.size(); i++) {
                if (ended[i]) {
                    continue;
                }
                String state = states.get(i);
                if (!started[i] && (state == null || !state.equals("PENDING"))) {
                    started[i] = true;
                    progress.started(jobs.get(i));
                }
                if (state == null) {
                    ended[i] = true;
                    left--;
                    progress.ended(jobs.get(i), outcome(jobId, i, jobs.get(i), statusFile(folder, name, i),
                            offsets[i]));
                }
            }
            if (left > 0) {
                Thread.sleep(poll);
            }
        }
    }

    /** Why task {@code i} failed, or empty: from its status file, else from what Slurm says of it. */
    private Optional<RunFailure> outcome(String jobId, int i, Job job, Path status, long offset) {
        Path log = job.log();
        try {
            if (Files.isRegularFile(status)) {
                int code = Integer.parseInt(Files.readString(status).strip());
                return code == 0 ? Optional.empty() : Optional.of(new RunFailure(job.run().id(),
                        LogTail.reason(log, offset, code), log, OptionalInt.of(code), Optional.empty()));
            }
        } catch (IOException | NumberFormatException e) {
            // as if absent: Slurm's view below
        }
        String state = taskState(jobId + "_" + i);
        boolean killed = state.contains("CANCELLED") || state.contains("TIMEOUT");
        return Optional.of(new RunFailure(job.run().id(), "Slurm ended array task " + jobId + "_" + i
                + " before sedge train returned (" + state + "); run the sweep again to resume it", log,
                OptionalInt.of(killed ? 143 : 1), Optional.empty()));
    }

    private Map<Integer, String> queued(String jobId) throws InterruptedException {
        return queued(tool("squeue"), jobId);
    }

    /** squeue's array tasks of {@code jobId} still pending or running: index → state ({@code PENDING}, {@code RUNNING} …). */
    static Map<Integer, String> queued(String squeue, String jobId) throws InterruptedException {
        Result result = run(List.of(squeue, "-h", "-r", "-j", jobId, "-o", "%K %T"));
        Map<Integer, String> states = new HashMap<>();
        if (result.code() != 0) {
            if (result.output().contains("Invalid job id")) {
                return states; // ended and purged
            }
            throw new UncheckedIOException(new IOException("squeue failed (exit code " + result.code() + "): "
                    + result.output().strip()));
        }
        for (String line : result.output().strip().lines().toList()) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].matches("\\d+")) {
                states.put(Integer.parseInt(parts[0]), parts[1]);
            }
        }
        return states;
    }

    private String taskState(String task) {
        return taskState(tool("scontrol"), task);
    }

    /** {@code state CANCELLED}, {@code state TIMEOUT}, … from scontrol while Slurm remembers the task; else "state unknown". */
    static String taskState(String scontrol, String task) {
        try {
            Result result = run(List.of(scontrol, "-o", "show", "job", task));
            for (String field : result.output().split("\\s+")) {
                if (field.startsWith("JobState=")) {
                    return "state " + field.substring("JobState=".length());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException e) {
            // below
        }
        return "state unknown";
    }

    /**
     * Refuses to submit while this sweep folder's last array is still queued or running.
     *
     * @throws ConfigException naming the job and what to do
     */
    public void requireNoActiveArray() {
        Optional<String> last = lastArray(sweepFolder).map(LastArray::job);
        if (last.isEmpty()) {
            return;
        }
        try {
            if (!queued(last.get()).isEmpty()) {
                throw new ConfigException("the sweep's Slurm job array " + last.get() + " is still queued or running"
                        + " (squeue -j " + last.get() + "); wait for it to end or scancel " + last.get()
                        + ", then run the sweep again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The last array submitted for a sweep folder, as {@code OUT/.slurm/job} records it.
     *
     * @param job   its job id
     * @param tasks its tasks file's name in {@code OUT/.slurm/} ({@code array-<time>.tasks})
     */
    public record LastArray(String job, String tasks) {
        /** The prefix of its tasks' exit and output files ({@code array-<time>}). */
        String name() {
            return tasks.replaceFirst("\\.tasks$", "");
        }
    }

    /** The last array submitted for {@code sweepFolder}; empty when there was none or its record is unreadable. */
    public static Optional<LastArray> lastArray(Path sweepFolder) {
        Path file = sweepFolder.resolve(FOLDER).resolve(JOB_FILE);
        try {
            String[] record = Files.isRegularFile(file) ? Files.readString(file).strip().split("\\s+") : new String[0];
            return record.length == 2 ? Optional.of(new LastArray(record[0], record[1])) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Path statusFile(Path folder, String name, int task) {
        return folder.resolve(name + "." + task + ".exit");
    }

    @Override
    public int parallelism() {
        return expectedParallelism;
    }

    @Override
    public String description() {
        return "one Slurm job array (" + tool("sbatch") + (options.isEmpty() ? "" : " " + String.join(" ", options))
                + ") of " + launcher + " train";
    }

    /** Cancels the array in progress ({@code scancel}); its runs resume when the sweep runs again. */
    @Override
    public void stopAll() {
        String job = activeJob;
        if (job != null) {
            try {
                run(List.of(tool("scancel"), job));
            } catch (InterruptedException | UncheckedIOException e) {
                // stopping on the way out: nothing more to do
            }
        }
    }

    private String tool(String name) {
        return tool(slurmBin, name);
    }

    /** Slurm's command {@code name} ({@code squeue} …) in {@code slurmBin}, or as found on PATH when that is null. */
    static String tool(Path slurmBin, String name) {
        return slurmBin == null ? name : slurmBin.resolve(name).toString();
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UncheckedIOException(new IOException(command.getFirst() + " did not answer in 60 s"));
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst() + " (is Slurm installed and on PATH?): "
                    + e.getMessage(), e);
        }
    }

    /** {@code it's} → {@code 'it'\''s'}: one word for sh. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
