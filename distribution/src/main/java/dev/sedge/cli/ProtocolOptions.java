package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every {@code sedge reproduce PROTOCOL} shares (a picocli mixin), and the sweep they make
 * of a built-in protocol: fewer seeds or conditions, keys set over it (each reported as a deviation),
 * parallel runs, or only the plan.
 */
final class ProtocolOptions {

    @Mixin
    private ReportOption report;

    /** {@code --no-report} and the report the reproduction refreshes when it finishes. */
    ReportOption report() {
        return report;
    }

    @Option(names = "--seeds", paramLabel = "N",
            description = "The protocol's first N seeds per condition (beyond them, the next integers). Default: the"
                    + " paper's.")
    private Integer seeds;

    @Mixin
    private ExecutorOptions executor;

    @Option(names = "--conditions", paramLabel = "NAME", split = ",",
            description = "Only these of the protocol's conditions (the description names them), comma-separated.")
    private List<String> conditions = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Depart from the protocol (repeatable; reported as a deviation), e.g. --set train.eval-every=5.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check every run's configuration, print the plan; run nothing.")
    private boolean dryRun;

    /** The {@code --set} keys, as given: the deviations to report. */
    List<String> overrides() {
        return List.copyOf(overrides);
    }

    /**
     * Plans {@code protocol} as these options change it, into {@code out}; with {@code --dry-run} prints
     * the plan, otherwise runs the sweep (resuming what is there).
     *
     * @return the sweep's outcome; empty after a dry run
     * @throws ConfigException for {@code --jobs} below 1, an unknown condition or key
     */
    Optional<SweepOutcome> run(SweepSpec protocol, Path out, SedgeCommand root, CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        executor.jobs(); // a bad --jobs is refused before anything is read or written
        SweepSpec changed = protocol.withOverrides(overrides);
        if (seeds != null) {
            changed = changed.withFirstSeeds(seeds);
        }
        if (!conditions.isEmpty()) {
            changed = changed.withConditions(conditions);
        }
        SweepPlan plan = SweepPlan.of(changed, out, root.registry(err));
        if (dryRun) {
            var states = SweepRunner.inspect(plan);
            spec.commandLine().getOut().print(root.json() ? SweepReport.planJson(plan, states)
                    : SweepReport.plan(plan, states));
            return Optional.empty();
        }
        return Optional.of(executor.run(plan, root.registry(err), err));
    }
}
