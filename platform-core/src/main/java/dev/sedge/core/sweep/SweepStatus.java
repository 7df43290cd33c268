package dev.sedge.core.sweep;

import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where each run of a sweep folder stands ({@code sedge sweep --status DIR}): from the run directories, and,
 * for the last Slurm job array submitted for it ({@link SlurmExecutor}), from squeue and the tasks' exit
 * files. Needs no spec: the runs are the {@code <condition>/seed-<n>} folders and the array's tasks.
 *
 * @param out   the sweep folder
 * @param job   the last array's job id, when one was submitted
 * @param runs  every run found, by id
 * @param notes what could not be asked (squeue missing …), for the user
 */
public record SweepStatus(Path out, Optional<String> job, List<Run> runs, List<String> notes) {

    /** Where a run stands. */
    public enum State {
        /** Its array task waits in the queue. */
        QUEUED,
        /** Its array task runs. */
        RUNNING,
        /** Its task returned 0; the sweep collects it when the array ends (or when run again). */
        TRAINED,
        /** Its result.json exists. */
        DONE,
        /** Its task returned non-zero or Slurm ended it; the sweep run again resumes or retrains it. */
        FAILED,
        /** Neither queued nor finished (never submitted, or a local sweep stopped): the sweep run again goes on. */
        STOPPED
    }

    /**
     * @param id     {@code <condition>/seed-<n>}
     * @param state  where it stands
     * @param detail the array task, the last checkpoint, why it failed; may be empty
     */
    public record Run(String id, State state, String detail) {
        public Run {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public SweepStatus {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(job, "job");
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
    }

    /** How many runs are in {@code state}. */
    public long count(State state) {
        return runs.stream().filter(r -> r.state() == state).count();
    }

    /**
     * Reads the status of the sweep in {@code out}; asks squeue and scontrol about its last array.
     *
     * @param slurmBin the folder of squeue and scontrol; null: found on PATH
     */
    public static SweepStatus read(Path out, Path slurmBin) throws InterruptedException {
        if (!Files.isDirectory(out)) {
            throw new UncheckedIOException(new IOException(out + " is not a sweep folder: it does not exist"));
        }
        Map<String, Path> dirs = new TreeMap<>();
        try (Stream<Path> conditions = Files.list(out)) {
            for (Path condition : conditions.filter(Files::isDirectory).toList()) {
                try (Stream<Path> seeds = Files.list(condition)) {
                    seeds.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("seed-\\d+"))
                            .forEach(p -> dirs.put(condition.getFileName() + "/" + p.getFileName(), p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        Map<String, Run> runs = new TreeMap<>();
        Optional<SlurmExecutor.LastArray> array = SlurmExecutor.lastArray(out);
        if (array.isPresent()) {
            readArray(out, array.get(), slurmBin, dirs, runs, notes);
        }
        Optional<String> job = array.map(SlurmExecutor.LastArray::job);
        dirs.forEach((id, dir) -> runs.computeIfAbsent(id, k -> fromFiles(id, dir)));
        return new SweepStatus(out, job, new ArrayList<>(runs.values()), notes);
    }

    private static void readArray(Path out, SlurmExecutor.LastArray array, Path slurmBin, Map<String, Path> dirs,
                                  Map<String, Run> runs, List<String> notes) throws InterruptedException {
        Path folder = out.resolve(SlurmExecutor.FOLDER);
        String job = array.job();
        String name = array.name();
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(array.tasks()));
        } catch (IOException e) {
            notes.add("cannot read the tasks of job array " + job + " in " + folder + ": " + e.getMessage());
            return;
        }
        Map<Integer, String> queued = Map.of();
        String squeue = SlurmExecutor.tool(slurmBin, "squeue");
        String scontrol = SlurmExecutor.tool(slurmBin, "scontrol");
        boolean asked = true;
        try {
            queued = SlurmExecutor.queued(squeue, job);
        } catch (UncheckedIOException e) {
            asked = false;
            notes.add("squeue did not answer (" + e.getMessage() + "): queued and running tasks are not shown");
        }
        for (int i = 0; i < lines.size(); i++) {
            List<String> words = words(lines.get(i));
            int at = Math.max(words.indexOf("--out"), words.indexOf("--resume"));
            if (at < 0 || at + 1 >= words.size()) {
                continue;
            }
            Path dir = Path.of(words.get(at + 1));
            String id = dir.getParent().getFileName() + "/" + dir.getFileName();
            Path runDir = dirs.getOrDefault(id, out.resolve(id));
            String task = job + "_" + i;
            String state = queued.get(i);
            Path status = SlurmExecutor.statusFile(folder, name, i);
            Run run;
            if (Files.isRegularFile(runDir.resolve(PlannedRun.RESULT_FILE))) {
                run = new Run(id, State.DONE, "task " + task);
            } else if (state != null) {
                run = new Run(id, state.equals("PENDING") ? State.QUEUED : State.RUNNING, "task " + task
                        + (state.equals("PENDING") || state.equals("RUNNING") ? "" : " " + state)
                        + checkpoint(runDir));
            } else if (Files.isRegularFile(status)) {
                String code = read(status);
                run = code.equals("0") ? new Run(id, State.TRAINED, "task " + task + ", to be collected")
                        : new Run(id, State.FAILED, "task " + task + ": " + LogTail.reason(log(runDir), 0,
                        Integer.parseInt(code)) + checkpoint(runDir));
            } else if (asked) {
                run = new Run(id, State.FAILED, "task " + task + " ended before sedge train returned ("
                        + SlurmExecutor.taskState(scontrol, task) + ")" + checkpoint(runDir));
            } else {
                run = fromFiles(id, runDir);
            }
            runs.put(id, run);
        }
    }

    private static Run fromFiles(String id, Path dir) {
        if (Files.isRegularFile(dir.resolve(PlannedRun.RESULT_FILE))) {
            return new Run(id, State.DONE, "");
        }
        return new Run(id, State.STOPPED, checkpoint(dir).replaceFirst("^, ", ""));
    }

    /** {@code , last checkpoint at step 120}, or nothing when it has none. */
    private static String checkpoint(Path dir) {
        if (!Files.isDirectory(dir.resolve("checkpoints"))) {
            return "";
        }
        List<Long> steps = new RunLayout(dir).checkpointSteps();
        return steps.isEmpty() ? "" : ", last checkpoint at step " + steps.getLast();
    }

    private static Path log(Path runDir) {
        Path log = runDir.resolve(PlannedRun.LOG_FILE);
        return Files.isRegularFile(log) ? log : PlannedRun.pendingLogFile(runDir);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The words of a line of shell-quoted words ({@link SlurmExecutor#quote}). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '\\' && i + 1 < line.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
