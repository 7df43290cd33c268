package dev.sedge.train;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.Plugin;
import dev.sedge.api.Provenance;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.experiment.RunSeeds;
import dev.sedge.core.experiment.Selected;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.io.AtomicFile;
import dev.sedge.core.io.WriteFailure;
import dev.sedge.core.plugin.PluginKind;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ForkOrigin;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.run.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Trains a model on DJL and writes its run directory while the live spectral monitor watches the
 * chosen parameter group (docs/run-directory.md).
 *
 * <p>Three entry points: {@link #plan} checks an experiment by creating every part of the run and
 * writes nothing (a dry run); {@link #run} trains from scratch into a new run directory;
 * {@link #resume} continues a run from its last checkpoint to the same result, bit for bit, as an
 * uninterrupted run. The same configuration and seed give bit-identical checkpoints on one machine
 * and engine build ({@link RunSeeds}).
 *
 * <p>Run directory ({@link RunLayout}):
 * <pre>
 * run.json            kind "trained"; provenance: sedge and plugin versions, the effective configuration,
 *                     the seed; layout: every parameter (F32) with its first matching group
 * metrics.csv         step,train_loss,test_loss,train_acc,test_acc[,per head …],learning_rate,grad_norm,weight_norm
 * spectrum.csv        one row per window of the live monitor
 * events.json         the live detectors' events and summaries
 * checkpoints/
 *   step-000000100.safetensors          the parameters only (what sedge spectrum reads)
 *   state/step-000000100.safetensors    optimizer state ("optimizer/…") and the group's weight-decay
 *                                       accumulators ("decay/…"), for resuming
 *   monitor/step-000000100.safetensors  the live monitor's last W + stride snapshots (latest two kept)
 *   decay/step-000000100.safetensors    the group's weight-decay part since the previous checkpoint (what
 *                                       sedge explain splits each update with)
 * </pre>
 * Checkpoints are taken at step 0, every {@code train.checkpoint-every} steps and at the last step.
 *
 * <p>Threading: a run executes on the calling thread, and with the PyTorch engine only one run may
 * train at a time in a JVM (DJL's gradient collector is global). Honour the caller's
 * {@code ai.djl.pytorch.num_threads}. Failures: {@link dev.sedge.api.ConfigException} before anything is
 * written; a NaN loss is a {@link dev.sedge.api.NumericException} naming the step, after which the run
 * directory holds every file, whole, up to the last evaluation and checkpoint.
 */
public final class Trainer {

    /** The manifest kind of a trained run. */
    public static final String KIND = RunManifest.TRAINED;

    /** The system properties DJL sets PyTorch's thread counts from. */
    static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /** The one key a resumed run may change. */
    public static final String STEPS_KEY = "train.steps";

    private Trainer() {
    }

    /**
     * Creates every part of the run (data, model, optimizer, detectors, spectral engine) to check it,
     * then releases them; writes nothing. What {@code sedge train --dry-run} calls.
     *
     * @throws dev.sedge.api.ConfigException for a value a plugin refuses, a spectrum group that matches
     *         nothing (listing the groups and parameters), a window that does not fit in memory
     * @throws dev.sedge.api.PluginException if a plugin fails otherwise or the engine cannot start
     */
    public static TrainingPlan plan(Experiment experiment) {
        try (TrainingSession session = TrainingSession.open(experiment)) {
            return plan(session);
        }
    }

    private static TrainingPlan plan(TrainingSession session) {
        Experiment experiment = session.experiment;
        Schedule schedule = Schedule.of(experiment);
        int w = experiment.spectrum().window();
        int stride = experiment.spectrum().stride();
        return new TrainingPlan(session.data.description(), session.train.size(), session.test.size(),
                session.layout(), session.group, schedule.steps(), schedule.evaluations(),
                schedule.snapshotCount(), schedule.windows(w, stride), schedule.checkpointCount(),
                8L * (w + stride) * session.group.dimension(), new TreeMap<>(experiment.effective()));
    }

    /**
     * Checks a {@link #fork} as it would start (the configuration, the parent's checkpoint restored into it,
     * the live spectrum's snapshots) and returns the fork's plan; writes nothing. What
     * {@code sedge train --fork … --dry-run} calls.
     *
     * @throws dev.sedge.api.ConfigException as {@link #fork}
     */
    public static TrainingPlan planFork(Path parent, OptionalLong at, Map<String, String> overrides,
                                        PluginRegistry registry) {
        Fork fork = Fork.plan(parent, at, overrides, registry);
        try (TrainingSession session = TrainingSession.open(fork.experiment)) {
            forkStart(fork, session, fork.parent, TrainOptions.defaults());
            return plan(session);
        }
    }

    /**
     * Trains {@code experiment} from step 0 into {@code runDirectory}.
     *
     * @param runDirectory a folder that does not exist yet or is empty (a lock file and the temporary files
     *                     of a run killed before it wrote its {@code run.json} count as empty)
     * @throws dev.sedge.api.ConfigException if the folder holds anything, or as {@link #plan}; nothing is
     *         written then
     * @throws WriteFailure if a file cannot be written once training started, saying how to continue
     * @throws dev.sedge.api.NumericException if the loss becomes NaN or infinite (files stay whole)
     */
    public static TrainingResult run(Experiment experiment, Path runDirectory, TrainOptions options) {
        requireEmpty(runDirectory);
        try (TrainingSession session = TrainingSession.open(experiment);
             RunLock lock = RunLock.acquire(createDirectories(runDirectory), "sedge train")) {
            requireEmpty(runDirectory); // again, now that no other process can start writing it
            RunLayout layout = lock.layout();
            AtomicFile.deleteLeftovers(runDirectory); // of a run killed before its run.json was written
            ManifestFile.write(layout.manifest(), RunManifest.of(KIND, provenance(experiment), session.layout())
                    .withRuntime(runtime()));
            createDirectories(layout.checkpoints());
            return stoppedWriting(layout, () -> new TrainingLoop(session, layout, options).run(0, false));
        }
    }

    /**
     * Continues the run in {@code runDirectory} from its latest complete checkpoint, with the
     * configuration its {@code run.json} records, to the end; rows of metrics.csv and spectrum.csv after
     * that checkpoint are dropped and recomputed. A run stopped before its first checkpoint is trained
     * again from step 0, in place. The temporary files of writes a killed process left are deleted first.
     *
     * @param registry resolves the recorded configuration's plugins
     * @throws DataFormatException if the folder is not a trained run, or a checkpoint does not fit the model
     * @throws java.io.UncheckedIOException if a file cannot be written; a {@link WriteFailure} saying what
     *         the run keeps and how to continue it once training started
     * @throws dev.sedge.api.ConfigException if the run already reached its last step, or its configuration
     *         no longer resolves
     */
    public static TrainingResult resume(Path runDirectory, PluginRegistry registry, TrainOptions options) {
        return resume(runDirectory, OptionalLong.empty(), registry, options);
    }

    /**
     * {@link #resume} with {@code train.steps} changed to {@code steps}: a finished run is extended (or an
     * unfinished one given a new end), to the same checkpoints, metrics, spectrum and events as a run
     * configured with {@code steps} from the start. The one difference: a run whose old last step was no
     * multiple of {@code train.eval-every} / {@code train.checkpoint-every} keeps the evaluation and
     * checkpoint it took there. {@code run.json} records the new {@code train.steps} before training.
     *
     * @param steps the new last step, empty to keep the recorded one
     * @throws dev.sedge.api.ConfigException as {@link #resume}, or if {@code steps} does not lie after the
     *         latest checkpoint
     */
    public static TrainingResult resume(Path runDirectory, OptionalLong steps, PluginRegistry registry,
                                        TrainOptions options) {
        try (RunLock lock = RunLock.acquire(runDirectory, "sedge train --resume")) {
            return resume(lock.layout(), steps, registry, options);
        }
    }

    private static TrainingResult resume(RunLayout layout, OptionalLong steps, PluginRegistry registry,
                                         TrainOptions options) {
        Path runDirectory = layout.root();
        RunManifest manifest = ManifestFile.read(layout.manifest());
        if (!manifest.kind().equals(KIND)) {
            throw new DataFormatException(layout.manifest() + " describes a run of kind '" + manifest.kind()
                    + "'; only a run sedge trained (kind '" + KIND + "') can be resumed");
        }
        Map<String, String> config = new TreeMap<>(manifest.provenance().config());
        steps.ifPresent(n -> config.put(STEPS_KEY, Long.toString(n)));
        Experiment experiment = Experiment.resolve(new ConfigSource(config), registry);
        for (Path folder : List.of(runDirectory, layout.checkpoints(), CheckpointFiles.state(layout, 0).getParent(),
                CheckpointFiles.monitor(layout, 0).getParent(), layout.decayPart(0).getParent())) {
            AtomicFile.deleteLeftovers(folder);
        }
        OptionalLong latest = CheckpointFiles.latestResumable(layout);
        if (latest.isEmpty()) { // stopped before its first checkpoint: step 0 again, with the recorded configuration
            try (TrainingSession session = TrainingSession.open(experiment)) {
                if (!experiment.effective().equals(manifest.provenance().config())) {
                    ManifestFile.write(layout.manifest(), manifest.withConfig(experiment.effective()));
                }
                return stoppedWriting(layout, () -> new TrainingLoop(session, layout, options).run(0, false));
            }
        }
        long step = latest.getAsLong();
        if (step >= experiment.train().steps()) {
            throw new ConfigException(steps.isPresent()
                    ? "run " + runDirectory + " has a checkpoint at step " + step + ", so " + STEPS_KEY + " = "
                            + experiment.train().steps() + " cannot extend it; give a " + STEPS_KEY
                            + " greater than " + step
                    : "run " + runDirectory + " already finished: its last checkpoint is at step " + step + " of "
                            + STEPS_KEY + " = " + experiment.train().steps() + "; extend it with --set "
                            + STEPS_KEY + "=N (N > " + step + ")");
        }
        try (TrainingSession session = TrainingSession.open(experiment)) {
            TrainingLoop loop = restored(session, layout, step, options);
            if (!experiment.effective().equals(manifest.provenance().config())) {
                ManifestFile.write(layout.manifest(), manifest.withConfig(experiment.effective()));
            }
            return stoppedWriting(layout, () -> loop.run(step, true));
        }
    }

    /**
     * Trains a new run that continues {@code parent} from its checkpoint at {@code at} (default: its latest)
     * with {@code overrides} laid over the parent's configuration: an intervention such as
     * {@code optimizer.weight-decay=0} after grokking. The new run directory starts as the parent's up to
     * that step (checkpoint files hard-linked where the file system allows; the parent is never written),
     * its run.json records the fork ({@link dev.sedge.core.run.ForkOrigin}: the parent, the step and each
     * changed key's old value), and it trains as a resumed run: with nothing changed, it ends bit for bit as
     * the parent did. It resumes like any run. May change {@code optimizer.*} (not the optimizer's name),
     * {@code train.*}, {@code detectors} and {@code detector.*}.
     *
     * @param overrides key to value, laid over the parent's recorded configuration
     * @throws dev.sedge.api.ConfigException before anything is written: no checkpoint with a state file at the
     *         step, a key a fork may not change, {@code train.steps} not after the step, a folder that holds
     *         anything, the live spectrum's snapshots not rebuildable at the step, or as {@link #plan}
     * @throws DataFormatException if the parent is not a trained run, or its files do not fit the model
     * @throws WriteFailure as {@link #run}
     */
    public static TrainingResult fork(Path parent, OptionalLong at, Map<String, String> overrides, Path runDirectory,
                                      PluginRegistry registry, TrainOptions options) {
        Fork fork = Fork.plan(parent, at, overrides, registry);
        requireEmpty(runDirectory);
        try (TrainingSession session = TrainingSession.open(fork.experiment)) {
            ForkStart start = forkStart(fork, session, new RunLayout(runDirectory), options);
            try (RunLock lock = RunLock.acquire(createDirectories(runDirectory), "sedge train --fork")) {
                requireEmpty(runDirectory);
                RunLayout layout = lock.layout();
                AtomicFile.deleteLeftovers(runDirectory);
                fork.copyPrefix(layout, start.history());
                ManifestFile.write(layout.manifest(), RunManifest.of(KIND, provenance(fork.experiment,
                                InputDigests.of(runDirectory, fork.inputs())), session.layout())
                        .withRuntime(runtime()).withFork(start.origin()));
                return stoppedWriting(layout, () -> start.loop().run(fork.step, true));
            }
        }
    }

    /**
     * A fork's loop restored to the parent's checkpoint, the live monitor's history (null without one) and the
     * fork's origin as run.json records it.
     */
    private record ForkStart(TrainingLoop loop, SnapshotHistory history, ForkOrigin origin) {
    }

    /**
     * Everything that can refuse a fork, before a file is written: the parent's checkpoint restored into the
     * fork's configuration (an optimizer whose state no longer fits), and the monitor's history.
     */
    private static ForkStart forkStart(Fork fork, TrainingSession session, RunLayout target, TrainOptions options) {
        TrainingLoop loop = new TrainingLoop(session, target, options);
        CheckpointState start = checkpoint(fork.parent, fork.step);
        try {
            loop.restore(start, where(fork.parent, fork.step));
        } catch (DataFormatException e) {
            throw new ConfigException("the fork's configuration cannot continue from " + where(fork.parent,
                    fork.step) + " (it changes " + fork.origin.changed().keySet() + "): " + e.getMessage(), e);
        }
        if (!options.liveSpectrum()) {
            return new ForkStart(loop, null, fork.origin);
        }
        Fork.Monitor monitor = fork.monitor(session.group);
        return new ForkStart(loop, monitor.history(), monitor.restarted() ? fork.origin.restartingSpectrum()
                : fork.origin);
    }

    /** A loop over {@code session} writing {@code layout}, restored to its checkpoint at {@code step}. */
    private static TrainingLoop restored(TrainingSession session, RunLayout layout, long step, TrainOptions options) {
        TrainingLoop loop = new TrainingLoop(session, layout, options);
        loop.restore(checkpoint(layout, step), where(layout, step));
        return loop;
    }

    /** What {@code layout}'s checkpoint at {@code step} holds for resuming. */
    private static CheckpointState checkpoint(RunLayout layout, long step) {
        CheckpointFiles.Contents parameters = CheckpointFiles.read(CheckpointFiles.parameters(layout, step));
        CheckpointFiles.Contents state = CheckpointFiles.read(CheckpointFiles.state(layout, step));
        return new CheckpointState(step, parameters.tensors(), state.withPrefix(CheckpointFiles.OPTIMIZER_PREFIX),
                state.withPrefix(CheckpointFiles.DECAY_PREFIX), List.of());
    }

    private static String where(RunLayout layout, long step) {
        return "checkpoint " + CheckpointFiles.parameters(layout, step) + " with its state file";
    }

    /**
     * Trains; a file that cannot be written meanwhile (a disk full, a file-size limit, permissions) becomes
     * a {@link WriteFailure} that says what the run directory keeps and how to continue it.
     */
    private static TrainingResult stoppedWriting(RunLayout layout, Supplier<TrainingResult> training) {
        try {
            return training.get();
        } catch (UncheckedIOException e) {
            OptionalLong kept = CheckpointFiles.latestResumable(layout);
            WriteFailure failure = new WriteFailure(e.getMessage() + ". Training stopped; " + layout.root()
                    + " keeps every file whole, up to " + (kept.isPresent() ? "its last checkpoint, step "
                    + kept.getAsLong() : "its configuration (no checkpoint yet: it starts again from step 0)")
                    + ". " + WriteFailure.remedy(e) + ", then continue the run with: sedge train --resume "
                    + layout.root(), e.getCause());
            for (Throwable suppressed : e.getSuppressed()) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    /**
     * The settings outside the configuration that change a run's numbers in their last bits, as this
     * process has them: PyTorch's intra- and inter-op thread counts (a GEMM's sums are split by
     * thread) and the cores. Same configuration, seed and these: the same run, bit for bit.
     */
    static Map<String, String> runtime() {
        Map<String, String> runtime = new LinkedHashMap<>();
        for (String key : List.of(INTRA_OP_THREADS, INTER_OP_THREADS)) {
            runtime.put(key, System.getProperty(key, "unset (libtorch's default)"));
        }
        runtime.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return runtime;
    }

    /** Provenance of a run of {@code experiment} made now: versions of sedge and of every plugin used. */
    static Provenance provenance(Experiment experiment) {
        return provenance(experiment, Map.of());
    }

    /** {@link #provenance(Experiment)} with the digests of the files the run started from. */
    static Provenance provenance(Experiment experiment, Map<String, String> inputs) {
        Map<String, String> plugins = new LinkedHashMap<>();
        put(plugins, PluginKind.TASK, experiment.task());
        put(plugins, PluginKind.ARCHITECTURE, experiment.architecture());
        put(plugins, PluginKind.OPTIMIZER, experiment.optimizer());
        experiment.detectors().forEach(d -> put(plugins, PluginKind.DETECTOR, d));
        plugins.put(PluginKind.FORMAT.id() + "/" + SafetensorsFormat.NAME, SedgeVersion.current());
        return Provenance.now(SedgeVersion.current(), plugins, experiment.effective(), experiment.seed(), inputs);
    }

    private static void put(Map<String, String> plugins, PluginKind kind, Selected<? extends Plugin> selected) {
        plugins.put(kind.id() + "/" + selected.plugin().name(), selected.plugin().version());
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("run directory " + dir + " is a file; name a new folder for the run");
        }
        try (Stream<Path> children = Files.list(dir)) {
            if (children.anyMatch(child -> !child.getFileName().toString().equals(RunLock.FILE)
                    && !AtomicFile.isLeftover(child))) {
                throw new ConfigException("run directory " + dir + " is not empty" + (RunLayout.isRun(dir)
                        ? ": it holds a run; resume it (Trainer.resume, sedge train --resume) or choose a new folder"
                        : "; choose a new or empty folder"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} and its parents; returns it. */
    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage()
                    + "; check that the parent folder is writable", e);
        }
    }
}
