package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.ProcessExecutor;
import dev.sedge.core.sweep.RunExecutor;
import dev.sedge.core.sweep.RunFailure;
import dev.sedge.core.sweep.SlurmExecutor;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.train.InProcessExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a sweep from the command line: child processes of the launcher ({@code bin/sedge}, found
 * through the {@value #HOME_PROPERTY} system property the launcher sets), or in this process, one
 * run at a time, when there is none (an in-process test), or one Slurm job array of the launcher's
 * {@code train}; progress on stderr; the exit code.
 */
final class SweepExecution {

    /** Set by {@code bin/sedge} to the installation folder. */
    static final String HOME_PROPERTY = "sedge.home";

    private SweepExecution() {
    }

    /** Runs {@code plan} with up to {@code jobs} runs at once; stops the children if the JVM is stopped. */
    static SweepOutcome run(SweepPlan plan, int jobs, PluginRegistry registry, PrintWriter err) {
        return run(plan, executor(jobs, registry, err), err);
    }

    /**
     * Runs {@code plan} as one Slurm job array ({@link SlurmExecutor}); cancels the array if the JVM is stopped.
     *
     * @param options   {@code --slurm-opt} values, {@code KEY=VALUE}
     * @param jobs      how many tasks are expected to run at once, for the time estimate only
     */
    static SweepOutcome runOnSlurm(SweepPlan plan, List<String> options, int jobs, PluginRegistry registry,
                                   PrintWriter err) {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new ConfigException("--executor slurm needs the sedge launcher (bin/sedge), whose path the tasks"
                    + " run; system property " + HOME_PROPERTY + " is unset: run sedge through bin/sedge");
        }
        SlurmExecutor executor = new SlurmExecutor(Path.of(home).resolve("bin").resolve("sedge"),
                registry.pluginsFolder(), plan.out(), options, jobs, Duration.ofSeconds(2), null);
        executor.requireNoActiveArray();
        return run(plan, executor, err);
    }

    private static SweepOutcome run(SweepPlan plan, RunExecutor executor, PrintWriter err) {
        Thread stop = new Thread(executor::stopAll, "sweep-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return new SweepRunner(executor, new SweepLog(err)).run(plan);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sweep was interrupted; run it again to resume", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or ran
            }
        }
    }

    static RunExecutor executor(int jobs, PluginRegistry registry, PrintWriter err) {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            if (jobs > 1) {
                err.println("sedge: no sedge launcher known (system property " + HOME_PROPERTY + " is unset): runs"
                        + " train in this process, one at a time, not " + jobs);
            }
            return new InProcessExecutor(registry);
        }
        return ProcessExecutor.local(Path.of(home), jobs, registry.pluginsFolder());
    }

    /** 0 when every run finished; else the exit code of the first failed run, in sweep order. */
    static int exitCode(SweepOutcome outcome) {
        if (outcome.failures().isEmpty()) {
            return Main.OK;
        }
        RunFailure first = outcome.failures().getFirst();
        if (first.exitCode().isPresent()) {
            return first.exitCode().getAsInt();
        }
        return first.exception().map(Main::exitCode).orElse(Main.INTERNAL);
    }
}
