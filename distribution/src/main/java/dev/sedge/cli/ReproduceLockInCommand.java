package dev.sedge.cli;

import dev.sedge.core.sweep.LockInMeasures;
import dev.sedge.core.sweep.LockInReproduction;
import dev.sedge.core.sweep.LockInSummary;
import dev.sedge.core.sweep.SweepOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge reproduce lock-in}: the Feature Repulsion paper's lock-in detector protocol. */
@Command(name = "lock-in",
        header = "The lock-in detector of the Feature Repulsion paper: x^2 and ReLU, with and without L2, 15 seeds.",
        description = {"Four conditions: x2 (x^2, L2 2e-4), x2-no-wd (x^2, no L2: controls), relu (ReLU, L2 2e-4,",
            "800 epochs), relu-no-wd (ReLU, no L2: controls), 15 seeds each; everything else is the default",
            "experiment. The eigengap-slope detector is evaluated per activation on its late lambda2/lambda3.",
            "Prints the paper's numbers and ours side by side, and what ReLU controls do (the paper is silent):",
            "the detector, the repulsion sign test at the paper's checkpoints (sedge repulsion), and the",
            "level metric rho (measured during training, train.level-every; fires when rho > 0.075).",
            "A sweep: resumable (run the same command again), results in OUT/results.csv and results.json.",
            "The full protocol is 60 runs of 75-300 s each: use --jobs, or --seeds N for a quick version."})
final class ReproduceLockInCommand implements Callable<Integer> {

    @ParentCommand
    private ReproduceCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProtocolOptions protocol;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce-lock-in",
            description = "The sweep folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--sign-test-steps", paramLabel = "EPOCH", split = ",",
            description = "The repulsion sign test's checkpoints, for every tested run (default: the paper's, x2 at"
                    + " 50,100,175,250,300 for seeds 0-4 and ReLU at 100,300,500,700 for seed 0).")
    private List<Long> signTestSteps = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SedgeCommand root = parent.root();
        Optional<SweepOutcome> outcome = protocol.run(LockInReproduction.spec(), out, root, spec);
        if (outcome.isEmpty()) {
            return Main.OK;
        }
        LockInReproduction.SignTestPlan signTests = signTestSteps.isEmpty() ? LockInReproduction.PAPER_SIGN_TESTS
                : LockInReproduction.PAPER_SIGN_TESTS.atSteps(signTestSteps);
        Map<String, LockInMeasures> measures = LockInReproduction.measure(outcome.get(), signTests,
                root.registry(err), ProgressBar.on(err, "sign test"));
        LockInSummary summary = LockInReproduction.summarize(outcome.get(), protocol.overrides(), measures);
        spec.commandLine().getOut().print(root.json() ? LockInReport.json(outcome.get(), summary)
                : LockInReport.text(outcome.get(), summary));
        protocol.report().refresh(out, err, List.of(PaperTable.section(LockInReport.TITLE, summary.deviations(),
                summary.comparison())));
        return SweepExecution.exitCode(outcome.get());
    }
}
