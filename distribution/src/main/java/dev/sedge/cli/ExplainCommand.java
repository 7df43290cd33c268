package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigException;
import dev.sedge.core.explain.Ablation;
import dev.sedge.core.explain.BasisScore;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.explain.PerturbationCurve;
import dev.sedge.core.explain.WindowEnd;
import dev.sedge.core.run.RunLayout;
import dev.sedge.spectral.SpectralOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge explain RUN}: what the edge directions of one window compute, scored in functional bases. */
@Command(name = "explain",
        header = "What the edge directions of a run compute, as functions over the task's inputs.",
        description = {"Recomputes v_1..v_n of the window ending at checkpoint WHEN exactly from the run's",
            "checkpoints (W + 1 of them), rebuilds the model there, moves the parameter group by",
            "eps = 0.005 |theta_group| along each v_k and reads the change of a probe point over every input",
            "of the task: f_k(x) = |h(x; theta + eps v_k) - h(x; theta)|^2. Each f_k is scored in every",
            "functional basis that applies to the task (Fourier over the output, discrete log, 2-D Fourier, depth",
            "...): concentration F, its peak mode, and a permutation p-value against shuffled inputs; bases",
            "best first. On mod-p arithmetic the change itself is fitted by the composition probe (ridge R^2",
            "on additive, multiplicative and cross-term characters). Then the ablation: the test accuracy and",
            "loss lost removing the edge {v_1, v_2}, the bulk {v_3, v_4} and random planes from the group;",
            "along each v_k (eps in [-0.03, 0.03]) the test accuracy, loss and KL of the outputs; and the",
            "loss's curvature along v_k; and how much of the window's motion along each v_k the gradient made",
            "and how much weight decay (from the run's weight-decay record, else the AdamW approximation).",
            "On a task with a target per position (dyck1-depth: the depth after each token), the probe point",
            "itself is probed onto the target: R^2 on held-out strings of a linear, a quadratic and an MLP",
            "regression of the activations at each position.",
            "Writes explain/step-NNNNNNNNN.json in the run (docs/explain.md)."})
final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run directory: trained, or imported with --model and --task.")
    private Path run;

    @Option(names = {"-s", "--step"}, paramLabel = "WHEN", defaultValue = WindowEnd.LAST,
            description = "The checkpoint the window ends at: a step, last, post-grok (the last checkpoint with "
                    + "test accuracy above 0.95), event (the first detector event in events.json) or "
                    + "event:DETECTOR. Default: ${DEFAULT-VALUE}.")
    private String step;

    @Option(names = "--group", paramLabel = "GLOB",
            description = "The parameter group (a group of run.json or a tensor-name glob). Default: the run's "
                    + "own spectrum.group.")
    private String group;

    @Option(names = "--window", paramLabel = "W",
            description = "Updates (between consecutive checkpoints) per window. Default: the run's own "
                    + "spectrum.window.")
    private Integer window;

    @Option(names = "--centered", negatable = true,
            description = "Subtract the window mean from each update first. Default: the run's own spectrum.centered.")
    private Boolean centered;

    @Option(names = {"-n", "--directions"}, paramLabel = "N", defaultValue = "5",
            description = "How many edge directions. Default: ${DEFAULT-VALUE}.")
    private int directions;

    @Option(names = "--probe", paramLabel = "POINT", defaultValue = "",
            description = "The probe point h. Default: the model's first (mlp2: hidden; transformer: its residual "
                    + "stream at position 0).")
    private String probe;

    @Option(names = {"-b", "--basis"}, paramLabel = "NAME", split = ",",
            description = "A basis to score in (repeatable). Default: every basis plugin (see `sedge plugins`).")
    private List<String> bases = List.of();

    @Option(names = "--set", paramLabel = "basis.NAME.KEY=VALUE",
            description = "Configure a basis (repeatable), e.g. --set basis.fourier.coordinate=a+b for the additive "
                    + "basis of any task over (a, b). `sedge plugins show NAME` lists a basis's keys.")
    private Map<String, String> settings = Map.of();

    @Mixin
    private ReportOption report;

    @Option(names = "--permutations", paramLabel = "N", defaultValue = "" + ExplainJob.DEFAULT_PERMUTATIONS,
            description = "Shuffles per p-value; its floor is 1/(N+1). Default: ${DEFAULT-VALUE}.")
    private int permutations;

    @Option(names = "--random-planes", paramLabel = "N", defaultValue = "" + ExplainJob.DEFAULT_PLANES,
            description = "Random 2-D subspaces to ablate beside the edge and the bulk. Default: ${DEFAULT-VALUE}.")
    private int planes;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OwnSpectrum own = OwnSpectrum.of(run);
        SpectralOptions options;
        try {
            options = SpectralOptions.of(window != null ? window : own.window())
                    .withCentering(centered != null ? centered : own.centered());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        long at = WindowEnd.resolve(new RunLayout(run), step);
        String chosenGroup = group != null ? group : own.group();
        err.printf("explain: group %s, W = %d%s, window ending at step %d%n", chosenGroup, options.window(),
                options.centered() ? ", centered" : "", at);
        ExplainJob.Result result = new ExplainJob(root.registry(err)).run(new ExplainJob.Request(run, at, chosenGroup,
                options, directions, probe, bases, settings, permutations, planes), ProgressBar.on(err, "explain"));
        if (result.directions().size() < directions) {
            err.printf("explain: %d of the %d directions asked: a window of W = %d has at most W, and only those with"
                    + " sigma > 0%n", result.directions().size(), directions, options.window());
        }
        spec.commandLine().getOut().print(root.json() ? json(result) : text(result));
        report.refresh(run, err, List.of());
        return Main.OK;
    }

    private static String change(Optional<Ablation.Change> change) {
        return change.map(c -> String.format(Locale.ROOT, "%+.4f (loss %+.3g)", c.accuracy(), c.loss())).orElse("-");
    }

    private static String shares(Map<String, Double> shares) {
        StringBuilder out = new StringBuilder();
        shares.forEach((name, share) -> out.append(String.format(Locale.ROOT, " %s %.2f", name, share)));
        return out.isEmpty() ? "" : "  shares" + out;
    }

    static String text(ExplainJob.Result r) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "window %s, probe %s, eps %.4g -> %s%n", r.window().steps(), r.probe(), r.epsilon(), r.file()));
        for (ExplainJob.Direction d : r.directions()) {
            PerturbationCurve c = d.curve();
            out.append(String.format(Locale.ROOT, "v_%d  sigma %.4g, curvature %.4g; along eps in [-%.2f, %.2f]: test"
                    + " accuracy down to %.4f, loss up to %.4g, KL up to %.3g%n", d.index(), d.sigma(), c.curvature(),
                    PerturbationCurve.RANGE, PerturbationCurve.RANGE, c.minAccuracy(), c.maxLoss(), c.maxKl()));
            for (BasisScore s : d.scores()) {
                out.append(String.format(Locale.ROOT, "    %-48s F %.3f (%5.1fx uniform)  peak %-6s top %s  p %.3g%s%n",
                        s.label(), s.concentration(), s.lift(), s.peak(), s.top(), s.pValue(), shares(s.shares())));
            }
            d.probe().ifPresent(p -> out.append(String.format(Locale.ROOT, "    composition probe R2: additive %.3f,"
                    + " multiplicative %.3f, combined %.3f, with cross-terms %.3f (synergy %+.3f)%n", p.additive(),
                    p.multiplicative(), p.combined(), p.crossTerms(), p.synergy())));
        }
        Ablation a = r.ablation();
        double[] random = a.randomAccuracy();
        out.append(String.format(Locale.ROOT, "ablation (test accuracy %.4f, loss %.4g): the edge {v_1, v_2} %s, the bulk"
                + " {v_3, v_4} %s", a.accuracy(), a.loss(), change(a.edge()), change(a.bulk())));
        if (random.length > 0) {
            out.append(String.format(Locale.ROOT, ", %d random planes %+.4f on average (%+.4f to %+.4f)",
                    random.length, Arrays.stream(random).average().orElseThrow(), Arrays.stream(random).min()
                            .orElseThrow(), Arrays.stream(random).max().orElseThrow()));
        }
        out.append('\n');
        r.probes().ifPresent(p -> out.append(String.format(Locale.ROOT, "probes of %s onto %s (d %d; %d train / %d test"
                + " tokens, split 70/30 over strings): R2 linear %.3f, quadratic %.3f (with products of %d components),"
                + " MLP %.3f%n", p.point(), p.target(), p.width(), p.train(), p.test(), p.linear(), p.quadratic(),
                p.components(), p.mlp())));
        if (!r.notApplicable().isEmpty()) {
            out.append("not applicable to this task: ").append(String.join(", ", r.notApplicable())).append('\n');
        }
        return out.toString();
    }

    static String json(ExplainJob.Result r) {
        ObjectNode root = JsonOutput.document();
        root.put("file", r.file().toString());
        ExplainJob.putResult(root, r);
        return JsonOutput.render(root);
    }
}
