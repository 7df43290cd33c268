package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.LockInMeasures;
import dev.sedge.core.sweep.LockInReproduction;
import dev.sedge.core.sweep.LockInSummary;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds 0..N-1 per condition (default: the paper's 15).")
    private Integer seeds;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Runs at once, each a child process with cores/N threads. Default: ${DEFAULT-VALUE}.")
    private int jobs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce-lock-in",
            description = "The sweep folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--conditions", paramLabel = "NAME", split = ",",
            description = "Only these conditions (x2, x2-no-wd, relu, relu-no-wd), e.g. --conditions x2,x2-no-wd.")
    private List<String> conditions = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Depart from the protocol (repeatable; reported as a deviation), e.g. --set train.eval-every=5.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--sign-test-steps", paramLabel = "EPOCH", split = ",",
            description = "The repulsion sign test's checkpoints, for every tested run (default: the paper's, x2 at"
                    + " 50,100,175,250,300 for seeds 0-4 and ReLU at 100,300,500,700 for seed 0).")
    private List<Long> signTestSteps = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check every run's configuration, print the plan; run nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (jobs < 1) {
            throw new ConfigException("--jobs must be >= 1, found " + jobs);
        }
        SweepSpec protocol = LockInReproduction.spec().withOverrides(overrides);
        if (seeds != null) {
            protocol = protocol.withSeeds(SweepSpec.firstSeeds(seeds));
        }
        if (!conditions.isEmpty()) {
            protocol = protocol.withConditions(conditions);
        }
        SedgeCommand root = parent.root();
        PluginRegistry registry = root.registry(err);
        SweepPlan plan = SweepPlan.of(protocol, out, registry);
        if (dryRun) {
            var states = SweepRunner.inspect(plan);
            stdout.print(root.json() ? SweepReport.planJson(plan, states) : SweepReport.plan(plan, states));
            return Main.OK;
        }
        SweepOutcome outcome = SweepExecution.run(plan, jobs, registry, err);
        LockInReproduction.SignTestPlan signTests = signTestSteps.isEmpty() ? LockInReproduction.PAPER_SIGN_TESTS
                : LockInReproduction.PAPER_SIGN_TESTS.atSteps(signTestSteps);
        Map<String, LockInMeasures> measures = LockInReproduction.measure(outcome, signTests, registry,
                ProgressBar.on(err, "sign test"));
        LockInSummary summary = LockInReproduction.summarize(outcome, overrides, measures);
        stdout.print(root.json() ? LockInReport.json(outcome, summary) : LockInReport.text(outcome, summary));
        return SweepExecution.exitCode(outcome);
    }
}
