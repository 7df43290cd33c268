package dev.sedge.cli;

import dev.sedge.core.Progress;
import dev.sedge.core.sweep.FunctionalModesReproduction;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.SweepOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge reproduce functional-modes}: the Functional Modes paper's explain measurements. */
@Command(name = "functional-modes",
        header = "The Functional Modes paper: what the edge of the p = 97 transformer computes, on add, sub, mul,"
                + " x^2 + y^2 and the tri-task model, seeds 42, 137, 2024.",
        description = {"Trains the paper's transformer (2 layers, d 128, 4 heads; AdamW, weight decay 1.0) on",
            "(a + b), (a - b), (a * b), (a^2 + b^2) mod 97 for 3000 steps and on the tri-task model (heads add,",
            "mul, x2y2) for 10000, a checkpoint every 100 steps; then explains each run that grokked at its",
            "post-grok window (sedge explain --step post-grok: W = 20 centered over the attention weights,",
            "5 directions, every basis, 20 random planes; x2y2 and tri score fourier over a+b). Prints the",
            "paper's numbers and ours, and one row per run.",
            "Resumable: run the same command again; runs and explain files already there are reused. The full",
            "protocol took 31 minutes alone on 2 cores and 3.3 GB of checkpoints: --conditions and --seeds make a",
            "quick version (docs/reproductions.md)."})
final class ReproduceFunctionalModesCommand implements Callable<Integer> {

    @ParentCommand
    private ReproduceCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProtocolOptions protocol;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce-functional-modes",
            description = "The sweep folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Override
    public Integer call() {
        SedgeCommand root = parent.root();
        PrintWriter err = spec.commandLine().getErr();
        Optional<SweepOutcome> outcome = protocol.run(FunctionalModesReproduction.spec(), out, root, spec);
        if (outcome.isEmpty()) {
            return Main.OK;
        }
        List<FunctionalModesReproduction.Explained> explained = FunctionalModesReproduction.explain(outcome.get(),
                root.registry(err), new FunctionalModesReproduction.Listener() {
                    @Override
                    public void explaining(PlannedRun run, String what) {
                        err.printf("explain %s: %s%n", run.id(), what);
                    }

                    @Override
                    public Progress progress(PlannedRun run) {
                        return ProgressBar.on(err, "explain " + run.id());
                    }
                });
        FunctionalModesReproduction.Summary summary = FunctionalModesReproduction.summarize(outcome.get(), explained,
                protocol.overrides());
        spec.commandLine().getOut().print(root.json() ? FunctionalModesReport.json(outcome.get(), summary)
                : FunctionalModesReport.text(summary));
        protocol.report().refresh(out, err, List.of(PaperTable.section(FunctionalModesReport.TITLE,
                summary.deviations(), summary.comparison())));
        return SweepExecution.exitCode(outcome.get());
    }
}
