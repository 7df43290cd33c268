package dev.sedge.core.sweep;

import static dev.sedge.core.sweep.FunctionalModesReproduction.largestRandomChange;
import static dev.sedge.core.sweep.FunctionalModesReproduction.number;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.api.SedgeException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.Progress;
import dev.sedge.core.detect.DetectJob;
import dev.sedge.core.detect.DetectorChoice;
import dev.sedge.core.experiment.SpectrumSettings;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.explain.WindowEnd;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.RunLayout;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Lifecycle paper's protocol (docs/reproductions.md, "sedge reproduce lifecycle") as a built-in sweep, then
 * for every run the gap-flow classifier ({@code sedge detect -d gap-flow}: grad% on v_1 before and at the
 * transition, v_1's rotation, the class) and, for the conditions the paper explains, {@code sedge explain} at the
 * post-grok window (edge ablation against random planes, KL and curvature along v_1, probes onto the task's
 * targets). The training protocol is the resource {@code lifecycle.json}: Dyck-1 as the paper ran it
 * ({@code dyck}), the same model watched every 5 steps through its first 400 ({@code dyck-early}, for the windows
 * before its transition, which the paper's 100-step cadence does not have), SCAN on a smaller encoder–decoder
 * than the paper's, watched every 25 steps ({@code scan}; docs/reproductions.md says why), and the p = 97
 * transformer on addition ({@code add}, the functional class).
 */
public final class LifecycleReproduction {

    /** The protocol's resource, next to this class. */
    public static final String RESOURCE = "lifecycle.json";
    /** The classifier every run goes through. */
    public static final String DETECTOR = "gap-flow";
    /**
     * The classifier's settings per condition where they are not its defaults: SCAN's transition is the paper's
     * grokking of its sequence accuracy (greedy decoding), which comes long after token accuracy passes 0.95.
     */
    public static final Map<String, Map<String, String>> CLASSIFIER_SETTINGS =
            Map.of("scan", Map.of("metric", "test_seq_acc"));
    /** The conditions explained at their post-grok window, as the paper explains them. */
    public static final Set<String> EXPLAINED = Set.of("dyck", "scan");
    /** Directions explained per run: the edge plane {v_1, v_2}. */
    public static final int DIRECTIONS = 2;
    /** The condition whose runs get the weight-decay intervention. */
    public static final String INTERVENED = "dyck";
    /** How many steps the intervention's forks continue a run from its last checkpoint. */
    public static final long INTERVENTION_STEPS = 1000;
    /** The folder of the sweep that holds the intervention's forks, one folder per run. */
    public static final String INTERVENTIONS = "interventions";
    /** The test accuracy the edge plane's removal must cost for the edge to count as functionally necessary. */
    public static final double NECESSARY = 0.1;
    private static final String COMPRESSION = "compression";
    private static final String MIXED = "mixed";

    private LifecycleReproduction() {
    }

    /** The protocol as a sweep spec. */
    public static SweepSpec spec() {
        return SweepSpec.builtIn(LifecycleReproduction.class, RESOURCE, "built-in lifecycle protocol");
    }

    /**
     * What was measured of one run, or why nothing was.
     *
     * @param run       the run
     * @param flow      the gap-flow classifier's summary; empty when {@code reason} says why
     * @param explained what {@code sedge explain} measured at the post-grok window; empty for a condition the
     *                  paper does not explain, or when {@code reason} says why
     * @param reason    empty when everything asked was measured; otherwise why not
     */
    public record Measured(PlannedRun run, Optional<DetectorSummary> flow, Optional<Explained> explained,
                           String reason) {
        public Measured {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(flow, "flow");
            Objects.requireNonNull(explained, "explained");
            Objects.requireNonNull(reason, "reason");
        }

        /** The classifier's event: its kind is the class. Empty without a class. */
        public Optional<EdgeEvent> event() {
            return flow.flatMap(s -> s.events().stream().findFirst());
        }

        /**
         * The paper's class: the classifier's, except that an edge whose dynamics read as compression but whose
         * removal costs at least {@link #NECESSARY} of test accuracy is not functionally empty, which the
         * compression class also requires, and is mixed. Empty without a class.
         */
        public Optional<String> verdict() {
            OptionalDouble edge = explained.map(Explained::edge).orElse(OptionalDouble.empty());
            return event().map(e -> e.kind().equals(COMPRESSION) && edge.orElse(0) <= -NECESSARY ? MIXED : e.kind());
        }

        /** A value of the classifier's event. */
        public OptionalDouble value(String name) {
            Double v = event().map(e -> e.values().get(name)).orElse(null);
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
        }
    }

    /**
     * What an explain file says about the edge of one run.
     *
     * @param file      the explain file
     * @param step      the window's last checkpoint
     * @param edge      the change of test accuracy with the edge plane {v_1, v_2} removed
     * @param random    the largest |change| over the random planes
     * @param maxKl     the largest KL(p_base ‖ p_pert) along v_1's perturbation curve
     * @param curvature the test loss's curvature along v_1
     * @param gradShare grad% on v_1 over the window, where the run has a split
     * @param linear    the linear probe's R² onto the task's targets, where there are probes
     * @param quadratic the quadratic probe's R²
     * @param mlp       the MLP probe's R²
     */
    public record Explained(Path file, long step, OptionalDouble edge, OptionalDouble random, OptionalDouble maxKl,
                            OptionalDouble curvature, OptionalDouble gradShare, OptionalDouble linear,
                            OptionalDouble quadratic, OptionalDouble mlp) {
        public Explained {
            Objects.requireNonNull(file, "file");
        }

        static Explained of(Path file, JsonNode root) {
            JsonNode v1 = root.path("directions").path(0);
            JsonNode ablation = root.path("ablation");
            OptionalDouble maxKl = OptionalDouble.empty();
            for (JsonNode kl : v1.path("perturbation").path("kl")) {
                if (kl.isNumber()) {
                    maxKl = OptionalDouble.of(Math.max(kl.asDouble(), maxKl.orElse(0)));
                }
            }
            JsonNode probes = root.path("probes");
            return new Explained(file, root.path("step").asLong(), number(ablation.path("edge").path("accuracy")),
                    largestRandomChange(ablation), maxKl, number(v1.path("curvature")),
                    number(v1.path("split").path("gradient_share")), number(probes.path("linear")),
                    number(probes.path("quadratic")), number(probes.path("mlp")));
        }
    }

    /** Told about each run's measurement. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (run, what) -> { };

        /** Before each step of a run's measurement: what is computed or reused, or why it is not. */
        void measuring(PlannedRun run, String what);

        /** Where a computation for {@code run} reports its progress. */
        default Progress progress(PlannedRun run) {
            return Progress.NONE;
        }
    }

    /**
     * The gap-flow request of one run: its own spectrum's group, window and centering, the classifier's settings
     * for its condition ({@link #CLASSIFIER_SETTINGS}).
     */
    public static DetectJob.Request detectRequest(PlannedRun run) {
        SpectrumSettings own = run.experiment().spectrum();
        DetectorChoice choice = new DetectorChoice(DETECTOR,
                CLASSIFIER_SETTINGS.getOrDefault(run.condition().slug(), Map.of()));
        return new DetectJob.Request(run.directory(), List.of(choice), own.group(),
                SpectralOptions.of(own.window()).withStride(own.stride()).withCentering(own.centered()));
    }

    /** The explain request of one run: its post-grok window, the edge plane, every basis, 20 random planes. */
    public static ExplainJob.Request explainRequest(PlannedRun run) {
        return explainRequest(run.directory(), WindowEnd.resolve(run.layout(), WindowEnd.POST_GROK),
                run.experiment().spectrum());
    }

    private static ExplainJob.Request explainRequest(Path directory, long step, SpectrumSettings own) {
        return new ExplainJob.Request(directory, step, own.group(),
                SpectralOptions.of(own.window()).withCentering(own.centered()), DIRECTIONS, "", List.of(), Map.of(),
                ExplainJob.DEFAULT_PERMUTATIONS, ExplainJob.DEFAULT_PLANES);
    }

    /** The explain file of {@code request}, as written before, else computed now. */
    private static Explained explained(ExplainJob.Request request, PlannedRun run, PluginRegistry registry,
                                       Listener listener) {
        Path file = new RunLayout(request.run()).explanation(request.step());
        Optional<JsonNode> written = ExplainJob.written(request);
        listener.measuring(run, written.isPresent() ? "reusing " + file
                : "explaining the window of " + request.run() + " ending at step " + request.step());
        JsonNode root = written.orElseGet(() -> {
            new ExplainJob(registry).run(request, listener.progress(run));
            return VersionedJson.read(file, "explain file", ExplainJob.FORMAT_VERSION);
        });
        return Explained.of(file, root);
    }

    /**
     * Trains a fork of a run ({@code sedge train --fork}); the host's part, since training is not this module's.
     */
    @FunctionalInterface
    public interface Forker {
        /**
         * Leaves {@code directory} holding a finished fork of {@code parent} from its last checkpoint with
         * {@code overrides}: trains it, finishes one left unfinished, or leaves a finished one as it is.
         */
        void fork(Path parent, Map<String, String> overrides, Path directory);
    }

    /**
     * The weight-decay intervention on one run (the paper: removing weight decay after grokking restores the
     * linear probe): two forks from its last checkpoint, {@link #INTERVENTION_STEPS} steps on, one with weight
     * decay as before, one with none, each explained at its last step like the run itself.
     *
     * @param run      the run forked
     * @param before   the run's own explanation at its last step, where the forks start
     * @param decayOn  the fork with weight decay kept; empty when {@code reason} says why
     * @param decayOff the fork with weight decay 0
     * @param reason   empty when both were measured
     */
    public record Intervention(PlannedRun run, Explained before, Optional<Explained> decayOn,
                               Optional<Explained> decayOff, String reason) {
        public Intervention {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(decayOn, "decayOn");
            Objects.requireNonNull(decayOff, "decayOff");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The folder of the intervention's fork of {@code run}: {@code on} with weight decay kept, else off. */
    public static Path interventionFolder(SweepOutcome outcome, PlannedRun run, boolean on) {
        return outcome.plan().out().resolve(INTERVENTIONS)
                .resolve(run.condition().slug() + "-seed-" + run.seed()).resolve(on ? "decay-on" : "decay-off");
    }

    /**
     * The weight-decay intervention on every explained run of {@link #INTERVENED}: forks trained by
     * {@code forker} (reused when finished), explained (reusing explain files written for the same window).
     *
     * @param steps how many steps the forks continue each run ({@link #INTERVENTION_STEPS} in the protocol)
     */
    public static List<Intervention> intervene(SweepOutcome outcome, List<Measured> measured, long steps,
                                               Forker forker, PluginRegistry registry, Listener listener) {
        List<Intervention> all = new ArrayList<>();
        for (Measured m : of(measured, INTERVENED)) {
            if (m.explained().isEmpty()) {
                continue;
            }
            PlannedRun run = m.run();
            long end = run.experiment().train().steps() + steps;
            List<Optional<Explained>> forks = new ArrayList<>();
            try {
                for (boolean on : List.of(true, false)) {
                    Map<String, String> overrides = new TreeMap<>(Map.of("train.steps", Long.toString(end)));
                    if (!on) {
                        overrides.put("optimizer.weight-decay", "0");
                    }
                    Path folder = interventionFolder(outcome, run, on);
                    listener.measuring(run, "intervention: weight decay " + (on ? "kept" : "off") + " to step "
                            + end + " in " + folder);
                    forker.fork(run.directory(), overrides, folder);
                    forks.add(Optional.of(explained(explainRequest(folder, end, run.experiment().spectrum()), run,
                            registry, listener)));
                }
                all.add(new Intervention(run, m.explained().get(), forks.get(0), forks.get(1), ""));
            } catch (SedgeException e) {
                listener.measuring(run, "intervention not made: " + e.getMessage());
                all.add(new Intervention(run, m.explained().get(), Optional.empty(), Optional.empty(),
                        e.getMessage()));
            }
        }
        return all;
    }

    /**
     * Classifies and, where the paper does, explains every finished run of {@code outcome}, reusing a gap-flow
     * entry {@code sedge detect} wrote in the run's events.json and an explain file written for the same request
     * (so that the command resumes).
     */
    public static List<Measured> measure(SweepOutcome outcome, PluginRegistry registry, Listener listener) {
        List<Measured> all = new ArrayList<>();
        for (SweepRow row : outcome.rows()) {
            PlannedRun run = row.run();
            if (row.result().isEmpty()) {
                all.add(new Measured(run, Optional.empty(), Optional.empty(), "failed to train"));
                continue;
            }
            Optional<DetectorSummary> flow;
            try {
                flow = Optional.of(classify(run, registry, listener));
            } catch (SedgeException e) {
                listener.measuring(run, "not classified: " + e.getMessage());
                all.add(new Measured(run, Optional.empty(), Optional.empty(), e.getMessage()));
                continue;
            }
            if (!EXPLAINED.contains(run.condition().slug())) {
                all.add(new Measured(run, flow, Optional.empty(), ""));
                continue;
            }
            try {
                all.add(new Measured(run, flow, Optional.of(explained(explainRequest(run), run, registry, listener)),
                        ""));
            } catch (SedgeException e) {
                listener.measuring(run, "not explained: " + e.getMessage());
                all.add(new Measured(run, flow, Optional.empty(), e.getMessage()));
            }
        }
        return all;
    }

    /**
     * The run's gap-flow summary: the one {@code sedge detect} wrote with the settings of its condition, else
     * computed now.
     */
    private static DetectorSummary classify(PlannedRun run, PluginRegistry registry, Listener listener) {
        DetectJob job = new DetectJob(registry);
        DetectJob.Request request = detectRequest(run);
        Optional<DetectorSummary> written = job.written(request);
        if (written.isPresent()) {
            listener.measuring(run, "reusing the " + DETECTOR + " entry of " + run.layout().events());
            return written.get();
        }
        listener.measuring(run, "classifying the transition (" + DETECTOR + ")");
        return job.run(request, listener.progress(run)).summaries().getFirst();
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param seeds      seeds per condition
     * @param deviations how the run departs from the protocol
     * @param comparison the paper's claims and ours
     * @param runs       every run's measurements, in plan order
     * @param interventions the weight-decay intervention on each {@link #INTERVENED} run
     */
    public record Summary(int seeds, List<String> deviations, List<PaperComparison> comparison, List<Measured> runs,
                          List<Intervention> interventions) {
        public Summary {
            deviations = List.copyOf(deviations);
            comparison = List.copyOf(comparison);
            runs = List.copyOf(runs);
            interventions = List.copyOf(interventions);
        }
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param outcome    a sweep of {@link #spec} (possibly other seeds or fewer conditions)
     * @param measured   {@link #measure} of it
     * @param interventions {@link #intervene} of it
     * @param deviations how the run departs from the protocol besides seeds and conditions; not modified
     */
    public static Summary summarize(SweepOutcome outcome, List<Measured> measured, List<Intervention> interventions,
                                    List<String> deviations) {
        List<PaperComparison> comparison = new ArrayList<>();
        List<Measured> dyck = of(measured, "dyck");
        List<Measured> early = of(measured, "dyck-early");
        comparison.add(new PaperComparison("Dyck-1: grad% on v_1 before → at the transition, every 5 steps (dyck-early)",
                "97.6% → 5.3%", each(early, m -> percent(m.value("grad_share_before")) + " → "
                        + percent(m.value("grad_share_at")) + at(m))));
        comparison.add(new PaperComparison("Dyck-1: grad% on v_1 at the transition, every 100 steps (dyck)",
                "5.3%", each(dyck, m -> percent(m.value("grad_share_at")) + at(m))));
        comparison.add(new PaperComparison("Dyck-1: Δ test accuracy, edge {v_1, v_2} ablated (largest random plane)",
                "−0.58 ± 0.09 (< 1e−4)", eachExplained(dyck, e -> signed(e.edge()) + " (" + sci(e.random()) + ")")));
        comparison.add(new PaperComparison("Dyck-1: max KL along v_1", "≈ 5e−5", eachExplained(dyck, e -> sci(e.maxKl()))));
        comparison.add(new PaperComparison("Dyck-1: curvature along v_1", "0.08",
                eachExplained(dyck, e -> fixed(e.curvature()))));
        comparison.add(new PaperComparison("Dyck-1: probe R² onto depth, MLP vs linear (quadratic)", "0.99 vs 0.86",
                eachExplained(dyck, e -> fixed(e.mlp()) + " vs " + fixed(e.linear()) + " (" + fixed(e.quadratic()) + ")")));
        comparison.add(new PaperComparison("Dyck-1: linear probe R² at the last step → continued without weight"
                + " decay (with it)", "0.86 → ≈ 0.99", dyck.isEmpty() ? "not run" : interventions.isEmpty()
                ? "not made" : interventions.stream().map(LifecycleReproduction::linearProbes)
                .collect(Collectors.joining("; "))));
        comparison.add(new PaperComparison("Dyck-1: class", "mixed", classes(dyck)));
        List<Measured> scan = of(measured, "scan");
        comparison.add(new PaperComparison("SCAN: grad% on v_1 before → at the transition", "88.7% → 0.2%",
                each(scan, m -> percent(m.value("grad_share_before")) + " → " + percent(m.value("grad_share_at"))
                        + at(m))));
        comparison.add(new PaperComparison("SCAN: v_1's rotation between windows (median, from the transition)",
                "≈ 8° (frozen)", each(scan, m -> degrees(m.value("rotation_after_deg")))));
        comparison.add(new PaperComparison("SCAN: Δ test token accuracy under teacher forcing, edge {v_1, v_2}"
                + " ablated (largest random plane)", "≈ 0 (functionally empty)",
                eachExplained(scan, e -> signed(e.edge()) + " (" + sci(e.random()) + ")")));
        comparison.add(new PaperComparison("SCAN: class", "compression", classes(scan)));
        comparison.add(new PaperComparison("modular addition: class", "functional", classes(of(measured, "add"))));
        return new Summary(outcome.plan().spec().seeds().size(), outcome.deviationsFrom(spec(), deviations),
                comparison, measured, interventions);
    }

    /** "seed 42: 0.903 → 0.983 (0.917) at step 4000": the linear probe before, without decay, with it. */
    private static String linearProbes(Intervention i) {
        return "seed " + i.run().seed() + ": " + fixed(i.before().linear()) + " → "
                + i.decayOff().map(e -> fixed(e.linear())).orElse("-") + " ("
                + i.decayOn().map(e -> fixed(e.linear())).orElse("-") + ")"
                + i.decayOff().map(e -> String.format(Locale.ROOT, " at step %d", e.step())).orElse("");
    }

    private static List<Measured> of(List<Measured> all, String condition) {
        return all.stream().filter(m -> m.run().condition().slug().equals(condition)).toList();
    }

    /** "k/n class" counts over the runs of a condition, "not run" without any. */
    private static String classes(List<Measured> runs) {
        if (runs.isEmpty()) {
            return "not run";
        }
        Map<String, Long> counts = runs.stream().collect(Collectors.groupingBy(
                m -> m.verdict().map(v -> v.equals(m.event().orElseThrow().kind()) ? v
                        : v + " (" + m.event().orElseThrow().kind() + " dynamics, edge necessary)")
                        .orElse("unclassified"), TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + "/" + runs.size() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    /** Each run's value, "seed 42: …; seed 137: …". */
    private static String each(List<Measured> runs, Function<Measured, String> value) {
        if (runs.isEmpty()) {
            return "not run";
        }
        return runs.stream().map(m -> "seed " + m.run().seed() + ": " + (m.event().isPresent() ? value.apply(m)
                : m.flow().isPresent() ? "no transition classified" : "not measured")).collect(Collectors.joining("; "));
    }

    private static String eachExplained(List<Measured> runs, Function<Explained, String> value) {
        if (runs.isEmpty()) {
            return "not run";
        }
        return runs.stream().map(m -> "seed " + m.run().seed() + ": " + m.explained().map(value).orElse("not explained"))
                .collect(Collectors.joining("; "));
    }

    private static String at(Measured m) {
        return String.format(Locale.ROOT, " (step %d)", (long) m.value("transition_step").orElse(-1));
    }

    private static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * value.getAsDouble()) : "unmeasured";
    }

    private static String degrees(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f°", value.getAsDouble()) : "-";
    }

    private static String fixed(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "-";
    }

    private static String signed(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%+.3f", value.getAsDouble()) : "-";
    }

    private static String sci(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1e", value.getAsDouble()) : "-";
    }
}
