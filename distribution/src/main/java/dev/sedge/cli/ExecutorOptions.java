package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where and how many at once the runs of a sweep train ({@code --jobs}, {@code --executor},
 * {@code --slurm-opt}): a picocli mixin of sweep and reproduce.
 */
final class ExecutorOptions {

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Runs at once, each a child process with cores/N PyTorch threads. Default: one per core,"
                    + " one thread each, which trains more runs per minute than fewer runs with more threads"
                    + " (docs/benchmarks.md, \"Runs per core\"). With --executor slurm: how many tasks the time"
                    + " estimate assumes run at once.")
    private Integer jobs;

    @Option(names = "--executor", paramLabel = "local|slurm", defaultValue = "local",
            description = "Where runs train: local child processes (default) or one Slurm job array (sbatch --array),"
                    + " each task running this installation's bin/sedge train into the sweep folder.")
    private String executor;

    @Option(names = "--slurm-opt", paramLabel = "KEY=VALUE",
            description = "An sbatch option for --executor slurm, passed as --KEY=VALUE (repeatable): partition, time,"
                    + " mem, account, cpus-per-task (= each run's PyTorch threads), …")
    private List<String> slurmOptions = new ArrayList<>();

    /**
     * Runs {@code plan} where these options say: {@link #jobs()} runs at once locally, or that many tasks
     * expected at once on Slurm (for the time estimate only).
     *
     * @throws ConfigException for an unknown executor, or --slurm-opt without --executor slurm
     */
    SweepOutcome run(SweepPlan plan, PluginRegistry registry, PrintWriter err) {
        int jobs = jobs();
        switch (executor) {
            case "local" -> {
                if (!slurmOptions.isEmpty()) {
                    throw new ConfigException("--slurm-opt needs --executor slurm");
                }
                return SweepExecution.run(plan, jobs, registry, err);
            }
            case "slurm" -> {
                return SweepExecution.runOnSlurm(plan, slurmOptions, jobs, registry, err);
            }
            default -> throw new ConfigException("--executor takes local or slurm, found '" + executor + "'");
        }
    }

    /**
     * {@code --jobs}, or one per core.
     *
     * @throws ConfigException for a value below 1
     */
    int jobs() {
        if (jobs == null) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        if (jobs < 1) {
            throw new ConfigException("--jobs must be >= 1, found " + jobs);
        }
        return jobs;
    }
}
