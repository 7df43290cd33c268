package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.api.ConfigException;
import dev.sedge.api.SedgeException;
import dev.sedge.core.Progress;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.explain.WindowEnd;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.VersionedJson;
import dev.sedge.spectral.SpectralOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Functional Modes paper's transformer protocol (docs/reproductions.md, "sedge reproduce
 * functional-modes") as a built-in sweep followed by {@code sedge explain} of each run, and the paper's
 * numbers. The training protocol is the resource {@code functional-modes.json} (a sweep spec): the p = 97
 * transformer on add, sub, mul, x² + y² and the tri-task model (add, mul, x² + y² heads), seeds 42, 137,
 * 2024, a checkpoint every 100 steps. Every run that groks is explained at its post-grok window (W = 20
 * centered over the attention weights, 5 directions, every basis, 20 random planes); x² + y² and the
 * tri-task model score {@code fourier} over a + b, the additive basis the paper compares them in.
 */
public final class FunctionalModesReproduction {

    /** The protocol's resource, next to this class. */
    public static final String RESOURCE = "functional-modes.json";
    /** The paper's seeds. */
    public static final List<Long> PAPER_SEEDS = List.of(42L, 137L, 2024L);
    /** Directions explained per run. */
    public static final int DIRECTIONS = 5;
    /** The window of the explanation: W = 20 updates, centered. */
    public static final SpectralOptions WINDOW = SpectralOptions.of(20).withCentering(true);
    /** The basis whose modes the paper counts: Fourier over the output, or over a + b where set so. */
    public static final String FOURIER = "fourier";
    /** The multiplicative basis. */
    public static final String DLOG = "dlog";
    /** The conditions whose {@code fourier} is over a + b (the paper's additive F). */
    private static final Map<String, String> ADDITIVE = Map.of("x2y2", "a+b", "tri", "a+b");
    /** The threshold of the add claim: F at least this many times the uniform baseline, p below 0.01. */
    public static final double MIN_LIFT = 10;
    public static final double MAX_P = 0.01;

    private FunctionalModesReproduction() {
    }

    /** The protocol as a sweep spec. */
    public static SweepSpec spec() {
        return SweepSpec.builtIn(FunctionalModesReproduction.class, RESOURCE, "built-in functional-modes protocol");
    }

    /**
     * What explaining one run found: its measurements, or why there are none.
     *
     * @param run      the run
     * @param measures what its explanation measured; empty when {@code reason} says why
     * @param reason   empty when measured; otherwise "failed to train", "did not grok …" or the explain error
     */
    public record Explained(PlannedRun run, Optional<Measures> measures, String reason) {
        public Explained {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(measures, "measures");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One run's measurements, read from its explain file.
     *
     * @param file       the explain file
     * @param step       the window's last checkpoint (the post-grok one)
     * @param best       v_1's best basis
     * @param fourier    v_1 in {@code fourier} (Fourier over y, or over a + b for x² + y² and the tri-task model)
     * @param dlog       v_1's F in {@code dlog}, where it applies
     * @param peaks      each direction's peak in {@code fourier}, v_1 first
     * @param combined   v_1's composition probe R², additive and multiplicative features together
     * @param crossTerms the same with the cross-terms
     * @param edge       the test accuracy change when the edge plane {v_1, v_2} is removed
     * @param random     the largest |change| over the random planes
     */
    public record Measures(Path file, long step, Score best, Optional<Score> fourier, OptionalDouble dlog,
                           List<String> peaks, OptionalDouble combined, OptionalDouble crossTerms,
                           OptionalDouble edge, OptionalDouble random) {
        public Measures {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(best, "best");
            peaks = List.copyOf(peaks);
        }
    }

    /**
     * One basis's score of a direction, as the explain file has it.
     *
     * @param basis the basis plugin
     * @param label what its modes are over
     * @param concentration F
     * @param lift F over the uniform baseline
     * @param peak the strongest mode
     * @param top the three strongest modes, strongest first
     * @param pValue the permutation p-value
     */
    public record Score(String basis, String label, double concentration, double lift, String peak, List<String> top,
                        double pValue) {
        public Score {
            top = List.copyOf(top);
        }

        static Score of(JsonNode node) {
            List<String> top = new ArrayList<>();
            node.path("top").forEach(t -> top.add(t.asText()));
            return new Score(node.path("basis").asText(), node.path("label").asText(),
                    node.path("concentration").asDouble(), node.path("lift").asDouble(), node.path("peak").asText(),
                    top, node.path("p_value").asDouble());
        }
    }

    /** Told about each run's explanation. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (run, what) -> { };

        /** Before each run: whether its explanation is computed or reused, or why there is none. */
        void explaining(PlannedRun run, String what);

        /** Where the explanation of {@code run}, when computed, reports its progress. */
        default Progress progress(PlannedRun run) {
            return Progress.NONE;
        }
    }

    /**
     * The explain request of one run of the protocol: its post-grok window.
     *
     * @throws ConfigException if the run never reached test accuracy 0.95 at a checkpoint
     */
    public static ExplainJob.Request request(PlannedRun run) {
        long step = WindowEnd.resolve(run.layout(), WindowEnd.POST_GROK);
        String coordinate = ADDITIVE.get(run.condition().slug());
        Map<String, String> settings = coordinate == null ? Map.of()
                : Map.of(ExplainJob.BASIS_SCOPE + "." + FOURIER + ".coordinate", coordinate);
        return new ExplainJob.Request(run.directory(), step, run.experiment().spectrum().group(), WINDOW, DIRECTIONS,
                "", List.of(), settings, ExplainJob.DEFAULT_PERMUTATIONS, ExplainJob.DEFAULT_PLANES);
    }

    /**
     * Explains every finished run of {@code outcome} that grokked, reusing an explain file written for the
     * same request (so that the command resumes), and reads each file's measurements.
     */
    public static List<Explained> explain(SweepOutcome outcome, PluginRegistry registry, Listener listener) {
        List<Explained> all = new ArrayList<>();
        for (SweepRow row : outcome.rows()) {
            PlannedRun run = row.run();
            if (row.result().isEmpty()) {
                all.add(new Explained(run, Optional.empty(), "failed to train"));
                continue;
            }
            try {
                ExplainJob.Request request = request(run);
                Path file = run.layout().explanation(request.step());
                Optional<JsonNode> written = ExplainJob.written(request);
                listener.explaining(run, written.isPresent() ? "reusing " + file
                        : "explaining the window ending at step " + request.step());
                JsonNode root = written.orElseGet(() -> {
                    new ExplainJob(registry).run(request, listener.progress(run));
                    return VersionedJson.read(file, "explain file", ExplainJob.FORMAT_VERSION);
                });
                all.add(new Explained(run, Optional.of(measures(file, root)), ""));
            } catch (SedgeException e) {
                listener.explaining(run, "not explained: " + e.getMessage());
                all.add(new Explained(run, Optional.empty(), e.getMessage()));
            }
        }
        return all;
    }

    /** What the summary reads of an explain file. */
    static Measures measures(Path file, JsonNode root) {
        JsonNode directions = root.path("directions");
        JsonNode v1 = directions.path(0);
        Optional<Score> fourier = scoreOf(v1, FOURIER);
        List<String> peaks = new ArrayList<>();
        directions.forEach(d -> scoreOf(d, FOURIER).ifPresent(s -> peaks.add(s.peak())));
        JsonNode probe = v1.path("probe");
        JsonNode ablation = root.path("ablation");
        return new Measures(file, root.path("step").asLong(), Score.of(v1.path("bases").path(0)), fourier,
                scoreOf(v1, DLOG).map(s -> OptionalDouble.of(s.concentration())).orElse(OptionalDouble.empty()),
                peaks, number(probe.path("combined")), number(probe.path("cross_terms")),
                number(ablation.path("edge").path("accuracy")), largestRandomChange(ablation));
    }

    /** The largest |change of test accuracy| over an explain file's random planes; empty without any. */
    static OptionalDouble largestRandomChange(JsonNode ablation) {
        OptionalDouble random = OptionalDouble.empty();
        for (JsonNode r : ablation.path("random")) {
            double change = Math.abs(r.path("accuracy").asDouble());
            random = OptionalDouble.of(Math.max(change, random.orElse(0)));
        }
        return random;
    }

    private static Optional<Score> scoreOf(JsonNode direction, String basis) {
        for (JsonNode s : direction.path("bases")) {
            if (s.path("basis").asText().equals(basis)) {
                return Optional.of(Score.of(s));
            }
        }
        return Optional.empty();
    }

    /** A JSON number's value; empty for null or a missing field. */
    static OptionalDouble number(JsonNode node) {
        return node.isNumber() ? OptionalDouble.of(node.asDouble()) : OptionalDouble.empty();
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param seeds      seeds per condition
     * @param deviations how the run departs from the protocol
     * @param comparison the paper's claims and ours
     * @param runs       every run's explanation, in plan order
     */
    public record Summary(int seeds, List<String> deviations, List<PaperComparison> comparison, List<Explained> runs) {
        public Summary {
            deviations = List.copyOf(deviations);
            comparison = List.copyOf(comparison);
            runs = List.copyOf(runs);
        }
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param outcome    a sweep of {@link #spec} (possibly other seeds or fewer conditions)
     * @param explained  {@link #explain} of it
     * @param deviations how the run departs from the protocol besides seeds and conditions; not modified
     */
    public static Summary summarize(SweepOutcome outcome, List<Explained> explained, List<String> deviations) {
        List<Long> seeds = outcome.plan().spec().seeds();
        List<String> all = outcome.deviationsFrom(spec(), deviations);
        List<PaperComparison> comparison = new ArrayList<>();
        List<Explained> add = of(explained, "add");
        comparison.add(new PaperComparison("add: v_1 best in Fourier over y = a+b, F ≥ 10× uniform, p < 0.01",
                "one mode, ω ≈ 25–26", count(add, m -> m.best().basis().equals(FOURIER)
                        && m.best().lift() >= MIN_LIFT && m.best().pValue() < MAX_P)));
        comparison.add(new PaperComparison("add: v_1's F in Fourier over y (× uniform) at its peak",
                "up to 0.40 (19×)", each(add, m -> m.fourier().map(s -> String.format(Locale.ROOT, "%.3f (%.0f×) %s",
                        s.concentration(), s.lift(), s.peak())).orElse("-"))));
        comparison.add(new PaperComparison("sub: v_1's F in Fourier over y = a−b, its three strongest modes",
                "several modes: {6, 16, 32}", each(of(explained, "sub"), m -> m.fourier().map(s -> String.format(
                        Locale.ROOT, "%.3f %s", s.concentration(), String.join(" ", s.top()))).orElse("-"))));
        List<Explained> mul = of(explained, "mul");
        comparison.add(new PaperComparison("mul: v_1's F in dlog / in Fourier over y (raw)", "0.32 / 0.054 = 5.9×",
                each(mul, m -> m.dlog().isPresent() && m.fourier().isPresent()
                        ? ratio(m.dlog().getAsDouble(), m.fourier().get().concentration()) : "-")));
        List<Explained> x2y2 = of(explained, "x2y2");
        comparison.add(new PaperComparison("x²+y²: v_1's probe R², add+mul → with cross-terms", "0.04 → 0.16 (4×)",
                each(x2y2, m -> m.combined().isPresent() && m.crossTerms().isPresent()
                        ? String.format(Locale.ROOT, "%.3f → %.3f (%.1f×)", m.combined().getAsDouble(),
                        m.crossTerms().getAsDouble(), m.crossTerms().getAsDouble() / m.combined().getAsDouble())
                        : "-")));
        comparison.add(new PaperComparison("x²+y²: v_1's best basis", "no single basis",
                each(x2y2, m -> String.format(Locale.ROOT, "%s F %.3f p %.3f", m.best().basis(),
                        m.best().concentration(), m.best().pValue()))));
        OptionalDouble alone = meanAdditive(x2y2);
        OptionalDouble tri = meanAdditive(of(explained, "tri"));
        comparison.add(new PaperComparison("x²+y²: v_1's additive F (Fourier over a+b)", "0.09", mean(alone)));
        comparison.add(new PaperComparison("tri-task (add, mul, x²+y²): v_1's additive F, and over x²+y²'s",
                "0.20 (2.3×)", tri.isEmpty() ? mean(tri) : mean(tri) + (alone.isPresent()
                        ? String.format(Locale.ROOT, " (%.1f×)", tri.getAsDouble() / alone.getAsDouble()) : "")));
        return new Summary(seeds.size(), all, comparison, explained);
    }

    private static List<Explained> of(List<Explained> all, String condition) {
        return all.stream().filter(e -> e.run().condition().slug().equals(condition)).toList();
    }

    /** "k/n" runs whose measures satisfy {@code claim}, n counting every run of the condition. */
    private static String count(List<Explained> runs, Predicate<Measures> claim) {
        if (runs.isEmpty()) {
            return "not run";
        }
        long yes = runs.stream().flatMap(e -> e.measures().stream()).filter(claim).count();
        long unmeasured = runs.stream().filter(e -> e.measures().isEmpty()).count();
        return yes + "/" + runs.size() + (unmeasured > 0 ? " (" + unmeasured + " not explained)" : "");
    }

    /** Each run's value, "seed 42: …; seed 137: …". */
    private static String each(List<Explained> runs, Function<Measures, String> value) {
        if (runs.isEmpty()) {
            return "not run";
        }
        return runs.stream().map(e -> "seed " + e.run().seed() + ": " + e.measures().map(value).orElse("not explained"))
                .collect(Collectors.joining("; "));
    }

    private static String ratio(double numerator, double denominator) {
        return String.format(Locale.ROOT, "%.3f / %.3f = %.1f×", numerator, denominator, numerator / denominator);
    }

    private static OptionalDouble meanAdditive(List<Explained> runs) {
        return runs.stream().flatMap(e -> e.measures().stream()).flatMap(m -> m.fourier().stream())
                .mapToDouble(Score::concentration).average();
    }

    private static String mean(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.3f (mean of the explained runs)", value.getAsDouble())
                : "-";
    }
}
