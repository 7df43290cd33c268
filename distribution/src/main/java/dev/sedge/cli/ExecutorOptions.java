package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the runs of a sweep train ({@code --executor}, {@code --slurm-opt}): a picocli mixin of sweep and reproduce. */
final class ExecutorOptions {

    @Option(names = "--executor", paramLabel = "local|slurm", defaultValue = "local",
            description = "Where runs train: local child processes (default) or one Slurm job array (sbatch --array),"
                    + " each task running this installation's bin/sedge train into the sweep folder.")
    private String executor;

    @Option(names = "--slurm-opt", paramLabel = "KEY=VALUE",
            description = "An sbatch option for --executor slurm, passed as --KEY=VALUE (repeatable): partition, time,"
                    + " mem, account, cpus-per-task (= each run's PyTorch threads), …")
    private List<String> slurmOptions = new ArrayList<>();

    /**
     * Runs {@code plan} where these options say; {@code jobs} runs at once locally, or the expected number of
     * tasks at once on Slurm (for the time estimate only).
     *
     * @throws ConfigException for an unknown executor, or --slurm-opt without --executor slurm
     */
    SweepOutcome run(SweepPlan plan, int jobs, PluginRegistry registry, PrintWriter err) {
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
}
