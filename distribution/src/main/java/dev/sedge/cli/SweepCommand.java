package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.ResultsFiles;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import dev.sedge.core.sweep.SweepStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sedge sweep SPEC}: many runs over a grid of configurations and seeds. */
@Command(name = "sweep",
        header = "Train an experiment over a grid of configurations and seeds, in parallel and resumably;"
                + " evaluate the detectors.",
        description = {"SPEC is a JSON sweep spec (docs/reproductions.md): a base config, explicit conditions and/or",
            "a grid (cartesian product), seeds, which conditions are controls, how runs are grouped, and the",
            "detectors to evaluate with their statistic. Every run's configuration is checked before any run",
            "starts. Runs go to OUT/<condition>/seed-<n>/; a finished run (its final checkpoint and result.json)",
            "is skipped, an interrupted one resumed: run the same command again to continue. A failed run is",
            "reported and the others go on; the exit code is then the first failed run's. Results:",
            "OUT/results.csv (one row per run) and OUT/results.json (the rows and each detector's evaluation:",
            "TP/FP/TN/FN, fire step, lag vs test accuracy, AUROC, late separation); --json prints the latter.",
            "",
            "--executor slurm submits the runs to train as one Slurm job array (sbatch --array=0-(n-1)), task i",
            "running this installation's bin/sedge train for run i into OUT, and waits for the array to end",
            "(squeue); then results are gathered as with local runs. OUT and this installation must be on a",
            "file system every node sees. Options for sbatch: --slurm-opt partition=gpu --slurm-opt time=01:00:00",
            "--slurm-opt mem=8G --slurm-opt account=X (cpus-per-task=N gives each run N PyTorch threads).",
            "Finished runs are never resubmitted; run the command again after a failed or cancelled task and",
            "only that run is redone (resumed from its last checkpoint). sedge sweep --status OUT shows",
            "where each run stands (squeue and the run folders). docs/scale.md has the details."})
final class SweepCommand implements Callable<Integer> {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SPEC", arity = "0..1", description = "The sweep spec, a JSON file.")
    private Path specFile;

    @Option(names = "--status", paramLabel = "DIR",
            description = "Show where each run of the sweep folder DIR stands (queued, running, trained, done, failed,"
                    + " stopped), from squeue and the run folders; run nothing. No SPEC needed.")
    private Path status;

    @Option(names = "--out", paramLabel = "DIR", description = "The sweep folder (default: runs/<SPEC's name>).")
    private Path out;

    @Option(names = "--seeds", paramLabel = "N|S,S,…",
            description = "Replace the spec's seeds: a count N (seeds 0..N-1) or a comma-separated list.")
    private String seeds;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one key in every condition, over the spec (repeatable; not a grid key or seed).")
    private List<String> overrides = new ArrayList<>();

    @Mixin
    private ExecutorOptions executor;

    @Mixin
    private ReportOption report;

    @Option(names = "--dry-run", description = "Check every run's configuration, print the plan and each run's state; run nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (status != null) {
            SweepStatus read = readStatus(status);
            stdout.print(root.json() ? SweepReport.statusJson(read) : SweepReport.status(read));
            return Main.OK;
        }
        if (specFile == null) {
            throw new ConfigException("sweep needs SPEC, a sweep spec (or --status DIR)");
        }
        executor.jobs(); // a bad --jobs is refused before anything is read or written
        SweepSpec sweep = SweepSpec.read(specFile).withOverrides(overrides);
        if (seeds != null) {
            sweep = sweep.withSeeds(parseSeeds(seeds));
        }
        Path folder = out != null ? out : Path.of("runs", stem(specFile));
        PluginRegistry registry = root.registry(err);
        SweepPlan plan = SweepPlan.of(sweep, folder, registry);
        if (dryRun) {
            var states = SweepRunner.inspect(plan);
            stdout.print(root.json() ? SweepReport.planJson(plan, states) : SweepReport.plan(plan, states));
            return Main.OK;
        }
        SweepOutcome outcome = executor.run(plan, registry, err);
        stdout.print(root.json() ? ResultsFiles.json(outcome) : SweepReport.text(outcome));
        report.refresh(folder, err, List.of());
        return SweepExecution.exitCode(outcome);
    }

    private static SweepStatus readStatus(Path folder) {
        try {
            return SweepStatus.read(folder, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking squeue", e);
        }
    }

    /** {@code 5} → 0..4; {@code 3,7,11} → those. */
    static List<Long> parseSeeds(String text) {
        try {
            if (!text.contains(",")) {
                return SweepSpec.firstSeeds(Integer.parseInt(text.strip()));
            }
            List<Long> list = new ArrayList<>();
            for (String s : text.split(",")) {
                list.add(Long.parseLong(s.strip()));
            }
            return list;
        } catch (NumberFormatException e) {
            throw new ConfigException("--seeds takes a count N or a list like 0,3,7, found '" + text + "'");
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }
}
