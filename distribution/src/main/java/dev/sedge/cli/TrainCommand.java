package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.train.RunStart;
import dev.sedge.train.TrainOptions;
import dev.sedge.train.Trainer;
import dev.sedge.train.TrainingPlan;
import dev.sedge.train.TrainingListener;
import dev.sedge.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sedge train [CONFIG]}: train a model, watching its spectrum live. */
@Command(name = "train",
        header = "Train a model on DJL and watch its spectral edge live; leaves a complete run directory.",
        description = {"With no CONFIG, runs the default experiment: the lock-in setup of the Feature Repulsion",
            "paper (mlp2 with x^2, mod-add p=71, K=2048, 2016 training pairs, full-batch Adam lr 1e-3 with L2",
            "2e-4, 400 epochs, W=20 on the first layer, one update per epoch, the eigengap-slope detector).",
            "CONFIG is a JSON file laid over the default, key by key; a section that names its plugin",
            "(task.name, architecture.name, optimizer.name) comes whole from the file. For example",
            "  " + TrainCommand.EXAMPLE_LINE_1,
            "   " + TrainCommand.EXAMPLE_LINE_2,
            "`sedge config default` prints a complete config file to start from.",
            "--set KEY=VALUE overrides single keys, by the same rule. Every key is checked before any work starts:",
            "an unknown key is an error listing the known ones. Keys: seed; task.name, task.*; architecture.name,",
            "architecture.*; optimizer.name, optimizer.*; train.* (steps, batch-size, eval-every, checkpoint-every,",
            "level-every, level-probe, clip); spectrum.* (group, window, stride, every, centered); detectors;",
            "detector.NAME.*. --dry-run prints every key resolved.",
            "--fork RUN [--at STEP] --set KEY=VALUE starts a new run from RUN's checkpoint (default: its last) with",
            "keys changed, an intervention such as --set optimizer.weight-decay=0 after grokking; it may change",
            "optimizer.*, train.*, detectors and detector.*."})
final class TrainCommand implements Callable<Integer> {

    /** The CONFIG example of the help, in two lines, a complete experiment (a test checks its plan). */
    static final String EXAMPLE_LINE_1 = "{\"task\": {\"name\": \"mod-add\", \"p\": 97}, \"train\": {\"steps\": 1000},";
    static final String EXAMPLE_LINE_2 = "\"architecture\": {\"name\": \"mlp2\"}, \"optimizer\": {\"name\": \"adam\"}}";

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "A JSON experiment (default: the lock-in setup).")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set optimizer.weight-decay=0.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "The run directory to create (default: runs/<task>-<date>-<time>).")
    private Path out;

    @Mixin
    private ReportOption report;

    @Option(names = "--dry-run", description = "Check the configuration and print the plan; train nothing, write nothing.")
    private boolean dryRun;

    @Option(names = "--resume", paramLabel = "RUN",
            description = "Continue RUN from its last checkpoint, to the same result as an uninterrupted run;"
                    + " with --set train.steps=N, extend it to N steps.")
    private Path resume;

    @Option(names = "--fork", paramLabel = "RUN",
            description = "Start a new run (--out) from RUN's checkpoint at --at with the --set keys changed;"
                    + " RUN is not written.")
    private Path fork;

    @Option(names = "--at", paramLabel = "STEP",
            description = "With --fork: the checkpoint step to continue from (default: RUN's last checkpoint).")
    private Long at;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        TrainOptions options = TrainOptions.defaults().withProgress(ProgressBar.on(err, "train"));
        if (resume != null) {
            if (config != null || out != null || dryRun || fork != null) {
                throw new ConfigException("--resume takes the run's own configuration from its run.json; "
                        + "give no CONFIG, --out, --dry-run or --fork with it (--set " + Trainer.STEPS_KEY + "=N extends it)");
            }
            OptionalLong steps = resumedSteps();
            TrainingResult result = whileTelling(err, resume,
                    () -> Trainer.resume(resume, steps, root.registry(err), options));
            stdout.print(root.json() ? TrainReport.json(result) : TrainReport.text(result));
            report.refresh(resume, err, List.of());
            return Main.OK;
        }
        if (at != null && fork == null) {
            throw new ConfigException("--at names the checkpoint of the run to fork; give --fork RUN with it");
        }
        if (fork != null) {
            if (config != null) {
                throw new ConfigException("--fork takes the run's own configuration from its run.json, changed by"
                        + " --set KEY=VALUE; give no CONFIG with it");
            }
            Map<String, String> set = new ConfigSource(Map.of()).with(overrides).values();
            OptionalLong step = at == null ? OptionalLong.empty() : OptionalLong.of(at);
            if (dryRun) {
                TrainingPlan plan = Trainer.planFork(fork, step, set, root.registry(err));
                stdout.print(root.json() ? TrainReport.json(plan) : TrainReport.text(plan));
                return Main.OK;
            }
            Path directory = out != null ? out : fork.resolveSibling(fork.getFileName() + "-fork-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            TrainOptions telling = options.withListener(saying(err, "forking " + fork + " at step %d into "
                    + directory.toAbsolutePath()));
            TrainingResult result = whileTelling(err, directory,
                    () -> Trainer.fork(fork, step, set, directory, root.registry(err), telling));
            stdout.print(root.json() ? TrainReport.json(result) : TrainReport.text(result));
            report.refresh(directory, err, List.of());
            return Main.OK;
        }
        ConfigSource source = (config == null ? ConfigSource.defaults() : ConfigSource.experiment(config)).with(overrides);
        Experiment experiment = Experiment.resolve(source, root.registry(err));
        if (dryRun) {
            stdout.print(root.json() ? TrainReport.json(Trainer.plan(experiment))
                    : TrainReport.text(Trainer.plan(experiment)));
            return Main.OK;
        }
        Path directory = out != null ? out : Path.of("runs", experiment.task().plugin().name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        TrainOptions telling = options.withListener(saying(err, "training into " + directory.toAbsolutePath()));
        TrainingResult result = whileTelling(err, directory, () -> Trainer.run(experiment, directory, telling));
        stdout.print(root.json() ? TrainReport.json(result) : TrainReport.text(result));
        report.refresh(directory, err, List.of());
        return Main.OK;
    }

    /** The new last step {@code --set train.steps=N} gives a resumed run; any other key is refused. */
    private OptionalLong resumedSteps() {
        Map<String, String> set = new ConfigSource(Map.of()).with(overrides).values();
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (!e.getKey().equals(Trainer.STEPS_KEY)) {
                throw new ConfigException("--resume continues the run's own trajectory: of its keys only "
                        + Trainer.STEPS_KEY + " may change (to extend it), found --set " + e.getKey() + "="
                        + e.getValue());
            }
        }
        String steps = set.get(Trainer.STEPS_KEY);
        try {
            return steps == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(steps));
        } catch (NumberFormatException e) {
            throw new ConfigException(Trainer.STEPS_KEY + " must be a whole number, found '" + steps + "'");
        }
    }

    /**
     * Says {@code what} (a format with the first step, {@code %d}, if it needs it) once training starts, after
     * every check that could refuse the run, so that a refused run is not announced.
     */
    private static TrainingListener saying(PrintWriter err, String what) {
        return new TrainingListener() {
            @Override
            public void onStart(RunStart start) {
                err.println("sedge: " + what.formatted(start.firstStep()));
                err.flush();
            }
        };
    }

    /**
     * Trains, and if the process is stopped meanwhile (Ctrl-C: exit code 130), says on its way out
     * where the run is and how to continue it.
     */
    private static TrainingResult whileTelling(PrintWriter err, Path directory, Supplier<TrainingResult> training) {
        Thread tell = new Thread(() -> {
            err.println();
            err.println("sedge: interrupted; " + directory.toAbsolutePath() + " keeps everything up to its last"
                    + " checkpoint. Continue it, to the same result as an uninterrupted run, with:");
            err.println("  sedge train --resume " + directory);
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(tell);
        try {
            return training.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(tell);
            } catch (IllegalStateException shuttingDown) {
                // stopped while training: the hook is saying its piece
            }
        }
    }
}
