package dev.sedge.core.sweep;

import dev.sedge.core.io.FileTree;
import dev.sedge.core.run.VersionedJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a planned sweep: finished runs are skipped, runs that trained to their end collected, and the
 * runs to resume or train handed to the executor together ({@link RunExecutor#executeAll}: local
 * processes up to {@link RunExecutor#parallelism} at a time, or one Slurm job array); then
 * {@code results.csv} and {@code results.json} are written. Resumable: stop it at any time and run it again.
 *
 * <p>Per run: before anything executes, a stale marker is deleted (and a run that cannot be resumed);
 * a fresh run's output goes to
 * {@code OUT/<condition>/.seed-<n>.log} until its run directory exists and is then appended to
 * {@code train.log} inside it; after the run trained to its last step its result is read from its
 * files and its {@code result.json} marker written atomically — the only sign of a finished run. A
 * failed run is reported and the others go on. Confined to the calling thread apart from its workers.
 */
public final class SweepRunner {

    /** Results of the whole sweep, in the sweep folder. */
    public static final String RESULTS_CSV = "results.csv";
    public static final String RESULTS_JSON = "results.json";

    private final RunExecutor executor;
    private final SweepListener listener;

    public SweepRunner(RunExecutor executor, SweepListener listener) {
        this.executor = executor;
        this.listener = listener;
    }

    /** The state of every run of {@code plan}, in plan order; reads only. */
    public static Map<PlannedRun, RunState> inspect(SweepPlan plan) {
        Map<PlannedRun, RunState> states = new LinkedHashMap<>();
        plan.runs().forEach(run -> states.put(run, RunInspector.inspect(run)));
        return states;
    }

    /**
     * Runs what is not finished and writes the results.
     *
     * @throws dev.sedge.api.ConfigException before any run starts, if a run folder holds a run of
     *         another configuration or foreign files
     * @throws dev.sedge.api.DataFormatException if a finished run's marker cannot be read
     * @throws InterruptedException if interrupted while waiting; the runs in progress are stopped
     */
    public SweepOutcome run(SweepPlan plan) throws InterruptedException {
        Map<PlannedRun, RunState> states = inspect(plan);
        Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            counts.put(s, (int) states.values().stream().filter(s::equals).count());
        }
        writeConditionFiles(plan);
        Map<PlannedRun, SweepRow> rows = new LinkedHashMap<>();
        List<PlannedRun> pending = new ArrayList<>();
        states.forEach((run, state) -> {
            if (state == RunState.FINISHED) {
                rows.put(run, SweepRow.of(run, ResultFile.read(run.resultFile())));
            } else {
                pending.add(run);
            }
        });
        listener.started(plan, counts, executor.description());
        Pace pace = new Pace(plan.runs().size(), rows.size(),
                (int) pending.stream().filter(r -> states.get(r) != RunState.COLLECT).count(), executor.parallelism());
        Map<PlannedRun, SweepRow> ended = new ConcurrentHashMap<>();
        Map<PlannedRun, Instant> startedAt = new ConcurrentHashMap<>();
        List<RunExecutor.Job> jobs = new ArrayList<>();
        for (PlannedRun run : pending) {
            RunState state = states.get(run);
            Path log = state == RunState.RESUME || state == RunState.COLLECT ? run.logFile() : run.pendingLogFile();
            Optional<SweepRow> unprepared = prepare(run, state, log);
            if (unprepared.isPresent()) {
                ended.put(run, unprepared.get());
            } else if (state == RunState.COLLECT) {
                Instant started = Instant.now();
                notify(() -> listener.runStarted(run, state));
                ended.put(run, finish(plan, run, state, Optional.empty(), log, started, pace));
            } else {
                jobs.add(new RunExecutor.Job(run, plan.conditionFile(run.condition()),
                        state == RunState.RESUME ? RunExecutor.Action.RESUME : RunExecutor.Action.TRAIN, log));
            }
        }
        executor.executeAll(jobs, new RunExecutor.Progress() {
            @Override
            public void started(RunExecutor.Job job) {
                startedAt.put(job.run(), Instant.now());
                SweepRunner.this.notify(() -> listener.runStarted(job.run(), states.get(job.run())));
            }

            @Override
            public void ended(RunExecutor.Job job, Optional<RunFailure> failure) {
                PlannedRun run = job.run();
                ended.put(run, finish(plan, run, states.get(run), failure, job.log(),
                        startedAt.getOrDefault(run, Instant.now()), pace));
            }
        });
        for (PlannedRun run : pending) {
            SweepRow row = ended.get(run);
            if (row == null) {
                throw new IllegalStateException("the executor (" + executor.description() + ") did not report the end"
                        + " of run " + run.id());
            }
            rows.put(run, row);
        }
        List<SweepRow> ordered = plan.runs().stream().map(rows::get).toList();
        SweepOutcome outcome = SweepOutcome.of(plan, ordered, counts);
        ResultsFiles.write(outcome, plan.out().resolve(RESULTS_CSV), plan.out().resolve(RESULTS_JSON));
        return outcome;
    }

    /**
     * Before a run executes: its stale marker deleted, a run that cannot be resumed deleted (its log kept),
     * the output of an earlier attempt moved into its run directory. Empty when done; a failed row if not.
     */
    private static Optional<SweepRow> prepare(PlannedRun run, RunState state, Path log) {
        try {
            Files.deleteIfExists(run.resultFile());
            if (state == RunState.RESTART) {
                keepLog(run);
                FileTree.delete(run.directory());
            } else {
                settleLog(run); // the output of an earlier attempt stopped before its run directory was whole
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(SweepRow.of(run, RunFailure.thrown(run.id(), log, new UncheckedIOException(e))));
        } catch (RuntimeException e) {
            return Optional.of(SweepRow.of(run, RunFailure.thrown(run.id(), log, e)));
        }
    }

    /** After a run executed (or for one to collect): its result read and its marker written, or its failure. */
    private SweepRow finish(SweepPlan plan, PlannedRun run, RunState state, Optional<RunFailure> failure, Path log,
                            Instant started, Pace pace) {
        SweepRow row;
        Path where = log;
        try {
            RunResult.Mode mode = RunResult.Mode.COLLECTED;
            if (state != RunState.COLLECT) {
                mode = state == RunState.RESUME ? RunResult.Mode.RESUMED : RunResult.Mode.TRAINED;
                where = settleLog(run);
            }
            if (failure.isPresent()) {
                row = SweepRow.of(run, failure.get().withLog(where));
            } else {
                List<String> detectors = plan.spec().detectors().stream().map(EvaluatedDetector::name).toList();
                RunResult result = RunResult.collect(run, detectors,
                        new RunResult.Execution(mode, started, Instant.now()));
                ResultFile.write(run.resultFile(), result);
                row = SweepRow.of(run, result);
            }
        } catch (IOException e) {
            row = SweepRow.of(run, RunFailure.thrown(run.id(), where, new UncheckedIOException(e)));
        } catch (RuntimeException e) {
            row = SweepRow.of(run, RunFailure.thrown(run.id(), where, e));
        }
        SweepProgress progress = pace.ended(state != RunState.COLLECT, Duration.between(started, Instant.now()),
                row.failure().isPresent());
        SweepRow finished = row;
        notify(() -> listener.runFinished(run, finished.result(), finished.failure(), progress));
        return row;
    }

    private synchronized void notify(Runnable call) {
        call.run();
    }

    /** Writes every condition's configuration, without the seed, where the child processes read it. */
    private static void writeConditionFiles(SweepPlan plan) {
        for (Condition condition : plan.conditions()) {
            Path file = plan.conditionFile(condition);
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the sweep folder " + file.getParent() + ": "
                        + e.getMessage() + "; check that the parent folder is writable", e);
            }
            var node = VersionedJson.object();
            new java.util.TreeMap<>(condition.source().values()).forEach(node::put);
            VersionedJson.write(file, node);
        }
    }

    /** Moves the pending log into the run directory, once it exists; returns where the log is now. */
    private static Path settleLog(PlannedRun run) throws IOException {
        Path pending = run.pendingLogFile();
        if (!Files.exists(pending) || !Files.isDirectory(run.directory())) {
            return Files.exists(pending) ? pending : run.logFile();
        }
        Files.write(run.logFile(), Files.readAllBytes(pending), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.delete(pending);
        return run.logFile();
    }

    /** Before a run is deleted to start again: its log joins the pending log, so no output is lost. */
    private static void keepLog(PlannedRun run) throws IOException {
        if (Files.isRegularFile(run.logFile())) {
            Files.write(run.pendingLogFile(), Files.readAllBytes(run.logFile()), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /**
     * Counts finished runs and estimates the time left: the mean wall time of the runs executed so far
     * times the runs still to execute, divided by the parallelism. Thread-safe.
     */
    private static final class Pace {
        private final int total;
        private final int toExecute;
        private final int parallelism;
        private int done;
        private int executed;
        private int failed;
        private Duration executing = Duration.ZERO;

        Pace(int total, int alreadyDone, int toExecute, int parallelism) {
            this.total = total;
            this.done = alreadyDone;
            this.toExecute = toExecute;
            this.parallelism = parallelism;
        }

        synchronized SweepProgress ended(boolean wasExecuted, Duration wallTime, boolean hasFailed) {
            done++;
            failed += hasFailed ? 1 : 0;
            if (wasExecuted) {
                executed++;
                executing = executing.plus(wallTime);
            }
            Optional<Duration> eta = Optional.empty();
            if (executed > 0) {
                int left = toExecute - executed;
                eta = Optional.of(executing.dividedBy(executed).multipliedBy(left).dividedBy(parallelism));
            }
            return new SweepProgress(done, total, failed, eta);
        }
    }
}
