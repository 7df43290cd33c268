package dev.sedge.cli;

import dev.sedge.core.sweep.G23Reproduction;
import dev.sedge.core.sweep.SweepOutcome;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;


/** {@code sedge reproduce g23}: the Thesis replication's g23 decline. */
@Command(name = "g23",
        header = "The g23 decline of the Thesis replication: the p = 97 transformer on six operations, with and"
                + " without weight decay, 3 seeds.",
        description = {"Twelve conditions: add, sub, mul, x2y2 (a^2 + b^2), which grok, and a2abb2 (a^2 + ab + b^2),",
            "a3ab (a^3 + ab), which do not, each with AdamW weight decay 1.0 and without (NAME-no-wd: the",
            "controls); 3 seeds, 3000 steps; W = 10 uncentered over the attention weights, a snapshot every",
            "100 steps. The g23-decline detector (max g23 = lambda2 - lambda3 before grokking over g23 at",
            "grokking; fires above 1.5) is evaluated per operation. Prints the paper's numbers and ours.",
            "A sweep: resumable (run the same command again), results in OUT/results.csv and results.json.",
            "The full protocol is 36 runs of 1.5-3 minutes each on 2 cores: use --conditions and --seeds",
            "for a quick version (docs/reproductions.md)."})
final class ReproduceG23Command implements Callable<Integer> {

    @ParentCommand
    private ReproduceCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProtocolOptions protocol;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce-g23",
            description = "The sweep folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Override
    public Integer call() {
        SedgeCommand root = parent.root();
        Optional<SweepOutcome> outcome = protocol.run(G23Reproduction.spec(), out, root, spec);
        if (outcome.isEmpty()) {
            return Main.OK;
        }
        G23Reproduction.Summary summary = G23Reproduction.summarize(outcome.get(), protocol.overrides());
        spec.commandLine().getOut().print(root.json() ? G23Report.json(outcome.get(), summary) : G23Report.text(summary));
        protocol.report().refresh(out, spec.commandLine().getErr(), List.of(PaperTable.section(G23Report.TITLE,
                summary.deviations(), summary.comparison())));
        return SweepExecution.exitCode(outcome.get());
    }
}
