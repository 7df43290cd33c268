package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.repulsion.RepulsionJob;
import dev.sedge.core.repulsion.RepulsionSignTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sedge repulsion RUN --step S}: the Feature Repulsion paper's sign test at checkpoints of a run. */
@Command(name = "repulsion",
        header = "The repulsion sign test (Feature Repulsion paper) at checkpoints of a trained run.",
        description = {"Rebuilds the run's model at each checkpoint STEP, reads the features F at a probe point",
            "on the training inputs, centers their columns, and scores sign(B_jl) against",
            "-sign(f_j' P f_l) over the most cosine-similar feature pairs, with B = (F'F + eta I)^-1",
            "(Woodbury, float64), P = I - F(F'F + eta I)^-1 F' and eta the run's weight decay.",
            "In exact arithmetic every pair matches (docs/science.md, \"The repulsion sign test\"):",
            "min_margin says how far from zero the signs were decided. repulsive is the share of the",
            "pairs with B_jl < 0 (similar features repel), the score that rises with training as the",
            "paper's does. Writes nothing."})
final class RepulsionCommand implements Callable<Integer> {


    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A trained run directory.")
    private Path run;

    @Option(names = {"-s", "--step"}, paramLabel = "STEP", required = true, split = ",",
            description = "A checkpoint step to test (repeatable, or comma-separated).")
    private List<Long> steps;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "" + RepulsionSignTest.DEFAULT_PAIRS,
            description = "How many most-similar feature pairs to score. Default: ${DEFAULT-VALUE}.")
    private int pairs;

    @Option(names = "--probe", paramLabel = "POINT", defaultValue = "",
            description = "The probe point of the features. Default: the model's first (mlp2: hidden).")
    private String probe;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        List<RepulsionJob.StepResult> results = new RepulsionJob(root.registry(err))
                .run(new RepulsionJob.Request(run, steps, probe, pairs), ProgressBar.on(err, "repulsion"));
        spec.commandLine().getOut().print(root.json() ? json(results) : text(results));
        return Main.OK;
    }

    static String text(List<RepulsionJob.StepResult> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %-10s %-9s %-7s %-8s %-10s %-10s %s%n",
                "step", "sign_match", "repulsive", "pairs", "eta", "min_cosine", "min_margin", "features"));
        for (RepulsionJob.StepResult r : results) {
            RepulsionSignTest.Result t = r.result();
            out.append(String.format(Locale.ROOT, "%-8d %-10.3f %-9.3f %-7d %-8.3g %-10.4f %-10.3g %s %d x %d%n",
                    r.step(), t.score(), t.repulsiveFraction(), t.pairs(), t.eta(), t.minCosine(), t.minMargin(),
                    r.probe(), t.examples(), t.features()));
        }
        return out.toString();
    }

    static String json(List<RepulsionJob.StepResult> results) {
        ObjectNode root = JsonOutput.document();
        var steps = root.putArray("steps");
        for (RepulsionJob.StepResult r : results) {
            ObjectNode node = steps.addObject();
            node.put("step", r.step());
            node.put("probe", r.probe());
            r.result().toMap().forEach((k, v) -> node.set(k, JsonOutput.tree(v)));
        }
        return JsonOutput.render(root);
    }
}
