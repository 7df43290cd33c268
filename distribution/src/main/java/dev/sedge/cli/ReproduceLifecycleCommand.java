package dev.sedge.cli;

import dev.sedge.core.Progress;
import dev.sedge.core.sweep.LifecycleReproduction;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.train.TrainOptions;
import dev.sedge.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge reproduce lifecycle}: the Lifecycle paper's gap-flow classes and Dyck-1 and SCAN measurements. */
@Command(name = "lifecycle",
        header = "The Lifecycle paper: the gap-flow class of Dyck-1, SCAN and addition, and what the Dyck-1 and SCAN"
                + " edges do, seeds 42, 137, 2024.",
        description = {"Trains Dyck-1 depth on the causal transformer (2 layers, d 128; AdamW, weight decay 1) for",
            "3000 steps with every parameter checkpointed every 100 (dyck), the same through its first 400 steps",
            "every 5 (dyck-early), SCAN on a 2 + 2-layer encoder-decoder (d 128, smaller than the paper's) for 1000",
            "steps checkpointed every 25 (scan), and the p = 97 transformer on addition (add); classifies every",
            "run's transition (sedge detect -d gap-flow: grad%% on v_1 before and at it, v_1's rotation, functional",
            "/ mixed / compression; SCAN's transition is its sequence accuracy) and explains each dyck and scan run",
            "at its post-grok window (edge ablation against 20 random planes, KL and curvature along v_1, probes",
            "onto the depth), then forks each dyck run from its last checkpoint for 1000 more steps with weight",
            "decay kept and off (sedge train --fork) and reads the probes of both (the paper: decay off restores",
            "the linear probe). Prints the paper's numbers and ours, and one row per run. Resumable: run the same",
            "command again; runs, gap-flow entries and explain files already there are reused. --conditions and",
            "--seeds make a quick version (docs/reproductions.md)."})
final class ReproduceLifecycleCommand implements Callable<Integer> {

    @ParentCommand
    private ReproduceCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProtocolOptions protocol;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce-lifecycle",
            description = "The sweep folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Override
    public Integer call() {
        SedgeCommand root = parent.root();
        PrintWriter err = spec.commandLine().getErr();
        Optional<SweepOutcome> outcome = protocol.run(LifecycleReproduction.spec(), out, root, spec);
        if (outcome.isEmpty()) {
            return Main.OK;
        }
        LifecycleReproduction.Listener listener = new LifecycleReproduction.Listener() {
            @Override
            public void measuring(PlannedRun run, String what) {
                err.printf("lifecycle %s: %s%n", run.id(), what);
            }

            @Override
            public Progress progress(PlannedRun run) {
                return ProgressBar.on(err, run.id());
            }
        };
        PluginRegistry registry = root.registry(err);
        List<LifecycleReproduction.Measured> measured = LifecycleReproduction.measure(outcome.get(), registry,
                listener);
        List<LifecycleReproduction.Intervention> interventions = LifecycleReproduction.intervene(outcome.get(),
                measured, LifecycleReproduction.INTERVENTION_STEPS, (parentRun, overrides, folder) -> fork(parentRun, overrides, folder, registry, err),
                registry, listener);
        LifecycleReproduction.Summary summary = LifecycleReproduction.summarize(outcome.get(), measured,
                interventions, protocol.overrides());
        spec.commandLine().getOut().print(root.json() ? LifecycleReport.json(outcome.get(), summary)
                : LifecycleReport.text(summary));
        protocol.report().refresh(out, err, List.of(PaperTable.section(LifecycleReport.TITLE,
                summary.deviations(), summary.comparison())));
        return SweepExecution.exitCode(outcome.get());
    }

    /** A finished fork in {@code folder}: trained here (one thread, like a sweep's child), resumed, or as it is. */
    private static void fork(Path parentRun, Map<String, String> overrides, Path folder, PluginRegistry registry,
                             PrintWriter err) {
        TrainOptions options = TrainOptions.defaults().withProgress(ProgressBar.on(err, folder.getFileName().toString()));
        if (!RunLayout.isRun(folder)) {
            Trainer.fork(parentRun, OptionalLong.empty(), overrides, folder, registry, options);
            return;
        }
        long steps = Long.parseLong(ManifestFile.read(new RunLayout(folder).manifest()).provenance().config()
                .get(Trainer.STEPS_KEY));
        if (!Files.isRegularFile(new RunLayout(folder).checkpoint(steps))) {
            Trainer.resume(folder, registry, options);
        }
    }
}
