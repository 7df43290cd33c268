package dev.sedge.core.sweep;

import dev.sedge.core.Progress;
import dev.sedge.core.detect.EvaluationReport;
import dev.sedge.core.detect.Quantiles;
import dev.sedge.core.detect.Spread;
import dev.sedge.core.detect.ThresholdLag;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The lock-in protocol of the Feature Repulsion paper (docs/science.md, "The Feature Repulsion paper", and
 * docs/reproductions.md) as a built-in sweep, and its published numbers. The protocol itself is the resource {@code
 * lock-in.json} (a sweep spec; the docs show it verbatim): x² and ReLU, each with L2 2e−4 and without (the
 * controls), 15 seeds, ReLU 800 epochs, everything else the default experiment; the eigengap-slope detector
 * evaluated on its {@code late_ratio}, per activation.
 */
public final class LockInReproduction {

    /** The protocol's resource, next to this class. */
    public static final String RESOURCE = "lock-in.json";
    /** The conditions, in protocol order. */
    public static final List<String> CONDITIONS = List.of("x2", "x2-no-wd", "relu", "relu-no-wd");
    /** Seeds per condition in the paper. */
    public static final int PAPER_SEEDS = 15;
    /** The detector evaluated and its statistic. */
    public static final String DETECTOR = "eigengap-slope";
    public static final String STATISTIC = "late_ratio";
    /** The paper's sign-test checkpoints: x² (five seeds) and ReLU (seed 0). */
    public static final SignTestPlan PAPER_SIGN_TESTS = new SignTestPlan(List.of(50L, 100L, 175L, 250L, 300L),
            List.of(100L, 300L, 500L, 700L), 5, 1);

    /**
     * Which runs the sign test reads, at which checkpoints: x² runs with weight decay of seeds below
     * {@code x2Seeds} at {@code x2Steps}, ReLU runs with weight decay of seeds below {@code reluSeeds} at
     * {@code reluSteps}. Controls (η = 0) are never tested: B does not exist there.
     */
    public record SignTestPlan(List<Long> x2Steps, List<Long> reluSteps, int x2Seeds, int reluSeeds) {
        public SignTestPlan {
            x2Steps = List.copyOf(x2Steps);
            reluSteps = List.copyOf(reluSteps);
        }

        /** The same seeds, every tested run at {@code steps}. */
        public SignTestPlan atSteps(List<Long> steps) {
            return new SignTestPlan(steps, steps, x2Seeds, reluSeeds);
        }

        List<Long> steps(Condition condition, long seed) {
            if (condition.control()) {
                return List.of();
            }
            String activation = condition.values().getOrDefault("architecture.activation", "");
            return switch (activation) {
                case "square" -> seed < x2Seeds ? x2Steps : List.of();
                case "relu" -> seed < reluSeeds ? reluSteps : List.of();
                default -> List.of();
            };
        }
    }

    private static final Map<String, Map<Long, String>> PAPER_SIGN_MATCH = Map.of(
            "square", Map.of(50L, "0.865", 100L, "0.895", 175L, "0.955", 250L, "0.970", 300L, "0.985"),
            "relu", Map.of(100L, "0.91", 300L, "0.995", 500L, "1.000", 700L, "1.000"));

    private static final String X2_GROUP = "architecture.activation=square";
    private static final String RELU_GROUP = "architecture.activation=relu";
    private static final String NOT_REPORTED = "not reported";
    private static final String NOT_RUN = "not run";

    private LockInReproduction() {
    }

    /** The protocol as a sweep spec. */
    public static SweepSpec spec() {
        return SweepSpec.builtIn(LockInReproduction.class, RESOURCE, "built-in lock-in protocol");
    }

    /**
     * The measurements beyond the sweep's results: each finished run's level trace, and the sign tests
     * {@code plan} asks for (computed, or read from the runs' {@link LockInMeasures#SIGN_TEST_FILE}).
     *
     * @param progress told once per tested run
     * @return by run id, every run of the sweep (failed runs: nothing measured)
     */
    public static Map<String, LockInMeasures> measure(SweepOutcome outcome, SignTestPlan plan,
                                                      PluginRegistry registry, Progress progress) {
        Map<String, LockInMeasures> out = new LinkedHashMap<>();
        List<SweepRow> tested = outcome.rows().stream().filter(r -> r.result().isPresent()
                && !plan.steps(r.run().condition(), r.run().seed()).isEmpty()).toList();
        int done = 0;
        for (SweepRow row : outcome.rows()) {
            if (row.result().isEmpty()) {
                out.put(row.run().id(), LockInMeasures.none());
                continue;
            }
            LockInMeasures measures = LockInMeasures.level(row.run().layout().metrics());
            List<Long> steps = plan.steps(row.run().condition(), row.run().seed());
            if (!steps.isEmpty()) {
                progress.update(done++, tested.size(), "sign test " + row.run().id());
                measures = measures.withSignTests(LockInMeasures.signTests(row.run(), steps, registry, Progress.NONE));
            }
            out.put(row.run().id(), measures);
        }
        progress.update(done, tested.size(), "done");
        return out;
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param outcome    a sweep of {@link #spec} (possibly fewer seeds or conditions)
     * @param deviations how the run departs from the protocol besides seeds and conditions
     *                   ({@code train.eval-every=5}); not modified
     * @param measures   {@link #measure}'s result
     */
    public static LockInSummary summarize(SweepOutcome outcome, List<String> deviations,
                                          Map<String, LockInMeasures> measures) {
        int seeds = outcome.plan().spec().seeds().size();
        List<String> allDeviations = outcome.deviationsFrom(spec(), deviations);
        List<LockInSummary.ConditionSummary> conditions = new ArrayList<>();
        for (Condition c : outcome.plan().conditions()) {
            conditions.add(condition(c, outcome.rows().stream().filter(r -> r.run().condition().equals(c)).toList(),
                    measures));
        }
        SweepEvaluation evaluation = outcome.evaluations().stream().filter(e -> e.detector().name().equals(DETECTOR))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the sweep did not evaluate " + DETECTOR));
        Optional<LockInSummary.FamilySummary> x2 = family(evaluation, X2_GROUP);
        Optional<LockInSummary.FamilySummary> relu = family(evaluation, RELU_GROUP);
        return new LockInSummary(seeds, allDeviations, conditions, x2, relu, comparison(conditions, x2, relu),
                signTests(outcome, measures), level(conditions), measures);
    }

    private static List<LockInSummary.SignTestRow> signTests(SweepOutcome outcome, Map<String, LockInMeasures> measures) {
        List<LockInSummary.SignTestRow> rows = new ArrayList<>();
        for (Condition c : outcome.plan().conditions()) {
            Map<Long, List<LockInMeasures.SignScores>> byStep = new TreeMap<>();
            for (SweepRow row : outcome.rows()) {
                LockInMeasures m = measures.get(row.run().id());
                if (row.run().condition().equals(c) && m != null) {
                    m.signTests().forEach((step, score) -> byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(score));
                }
            }
            String activation = c.values().getOrDefault("architecture.activation", "");
            byStep.forEach((step, scores) -> rows.add(new LockInSummary.SignTestRow(c.slug(), step,
                    PAPER_SIGN_MATCH.getOrDefault(activation, Map.of()).getOrDefault(step, NOT_REPORTED), scores.size(),
                    Spread.of(scores.stream().mapToDouble(LockInMeasures.SignScores::signMatch).toArray()),
                    Spread.of(scores.stream().mapToDouble(LockInMeasures.SignScores::repulsiveFraction).toArray()))));
        }
        return rows;
    }

    private static List<PaperComparison> level(List<LockInSummary.ConditionSummary> conditions) {
        List<PaperComparison> rows = new ArrayList<>();
        Optional<LockInSummary.ConditionSummary> x2Runs = find(conditions, "x2");
        Optional<LockInSummary.ConditionSummary> x2Controls = find(conditions, "x2-no-wd");
        Optional<LockInSummary.ConditionSummary> reluRuns = find(conditions, "relu");
        Optional<LockInSummary.ConditionSummary> reluControls = find(conditions, "relu-no-wd");
        rows.add(row("x² (L2 2e-4): ρ > 0.075 (runs)", "15/15", x2Runs, c -> levelFired(c.level())));
        rows.add(row("x²: ρ fire epoch, median (IQR)", "17", x2Runs, c -> spread(c.level().fire())));
        rows.add(row("x²: ρ lead before t(0.5), median (IQR)", "≈84", x2Runs, c -> spread(c.level().lead())));
        rows.add(row("x² controls (no L2): ρ > 0.075 (runs)", "0/15", x2Controls, c -> levelFired(c.level())));
        rows.add(row("x² controls: max ρ", "0.0645", x2Controls, c -> number(c.level().max())));
        rows.add(row("x²: max ρ", NOT_REPORTED, x2Runs, c -> number(c.level().max())));
        rows.add(row("ReLU (L2 2e-4): ρ fire epoch, median", "0", reluRuns, c -> spread(c.level().fire())));
        rows.add(row("ReLU controls: ρ > 0.075 (runs)", NOT_REPORTED, reluControls, c -> levelFired(c.level())));
        rows.add(row("x², centered reading: ρ fire epoch, median (IQR)", NOT_REPORTED, x2Runs,
                c -> levelFired(c.levelCentered()) + ", " + spread(c.levelCentered().fire())));
        rows.add(row("x² controls, centered reading: max ρ", NOT_REPORTED, x2Controls,
                c -> number(c.levelCentered().max())));
        return rows;
    }

    private static String levelFired(LockInSummary.LevelSummary level) {
        return level.runs() == 0 ? "not measured" : level.fired() + "/" + level.runs();
    }

    private static LockInSummary.ConditionSummary condition(Condition c, List<SweepRow> rows,
                                                            Map<String, LockInMeasures> measures) {
        List<RunResult> results = rows.stream().flatMap(r -> r.result().stream()).toList();
        List<DetectorResult> detector = results.stream().map(r -> r.detectors().get(DETECTOR)).toList();
        double[] fireSteps = detector.stream().filter(d -> d.fireStep().isPresent())
                .mapToDouble(d -> d.fireStep().getAsLong()).toArray();
        double[] late = detector.stream().map(d -> d.statistics().get(STATISTIC))
                .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
        return new LockInSummary.ConditionSummary(c.slug(), c.control(),
                c.values().getOrDefault("architecture.activation", ""), c.values().getOrDefault("optimizer.weight-decay", ""),
                results.size(), rows.size() - results.size(), (int) results.stream().filter(r -> r.reached(0.99)).count(),
                fireSteps.length, Spread.of(fireSteps), median(late), medianCrossing(results, 0.5),
                medianCrossing(results, 0.99), level(rows, measures, LockInMeasures::level),
                level(rows, measures, LockInMeasures::levelCentered));
    }

    /** One reading of ρ over a condition's finished runs. */
    private static LockInSummary.LevelSummary level(List<SweepRow> rows, Map<String, LockInMeasures> measures,
                                                   Function<LockInMeasures, Optional<LevelTrace>> reading) {
        List<Double> fires = new ArrayList<>();
        List<Double> leads = new ArrayList<>();
        int runs = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (SweepRow row : rows) {
            Optional<LevelTrace> trace = reading.apply(measures.getOrDefault(row.run().id(), LockInMeasures.none()));
            if (row.result().isEmpty() || trace.isEmpty()) {
                continue;
            }
            runs++;
            max = Math.max(max, trace.get().max());
            OptionalLong t50 = row.result().get().crossings().at(0.5);
            trace.get().fireStep().ifPresent(f -> {
                fires.add((double) f);
                if (t50.isPresent()) {
                    leads.add((double) (t50.getAsLong() - f));
                }
            });
        }
        return new LockInSummary.LevelSummary(runs, fires.size(),
                Spread.of(fires.stream().mapToDouble(Double::doubleValue).toArray()),
                runs == 0 ? OptionalDouble.empty() : OptionalDouble.of(max),
                Spread.of(leads.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static OptionalDouble medianCrossing(List<RunResult> results, double threshold) {
        return median(results.stream().filter(r -> r.reached(threshold))
                .mapToDouble(r -> r.crossings().at(threshold).getAsLong()).toArray());
    }

    private static OptionalDouble median(double[] values) {
        return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Quantiles.median(values));
    }

    /** The group's evaluation, when it holds both runs with weight decay and controls. */
    private static Optional<LockInSummary.FamilySummary> family(SweepEvaluation evaluation, String group) {
        EvaluationReport report = evaluation.groups().get(group);
        if (report == null || report.confusion().grokkingRuns() == 0 || report.confusion().controlRuns() == 0) {
            return Optional.empty();
        }
        Optional<Spread> lag = report.lags().stream().filter(l -> l.threshold() == 0.99).findFirst()
                .flatMap(ThresholdLag::lag);
        return Optional.of(new LockInSummary.FamilySummary(report.separation(), lag));
    }

    private static List<PaperComparison> comparison(List<LockInSummary.ConditionSummary> conditions,
                                                            Optional<LockInSummary.FamilySummary> x2,
                                                            Optional<LockInSummary.FamilySummary> relu) {
        List<PaperComparison> rows = new ArrayList<>();
        Optional<LockInSummary.ConditionSummary> x2Runs = find(conditions, "x2");
        Optional<LockInSummary.ConditionSummary> x2Controls = find(conditions, "x2-no-wd");
        Optional<LockInSummary.ConditionSummary> reluRuns = find(conditions, "relu");
        Optional<LockInSummary.ConditionSummary> reluControls = find(conditions, "relu-no-wd");
        rows.add(row("x² (L2 2e-4): detector fires", "15/15", x2Runs, LockInReproduction::fired));
        rows.add(row("x²: fire epoch, median (IQR)", "174 (173–174)", x2Runs, c -> spread(c.fireStep())));
        rows.add(row("x² controls (no L2): detector fires", "0/15", x2Controls, LockInReproduction::fired));
        rows.add(row("x²: late λ2/λ3, median", "≈300", x2Runs, c -> number(c.lateRatio())));
        rows.add(row("x² controls: late λ2/λ3, median", "1.31", x2Controls, c -> number(c.lateRatio())));
        rows.add(new PaperComparison("x²: late separation (runs / controls)", "229×",
                x2.map(f -> times(f.separation())).orElse(NOT_RUN)));
        rows.add(row("x²: test acc ≥ 0.5 at epoch, median", "≈102", x2Runs, c -> number(c.t50())));
        rows.add(row("x²: test acc ≥ 0.99 at epoch, median", "≈139", x2Runs, c -> number(c.t99())));
        rows.add(new PaperComparison("x²: detector lag after t(0.99), median", "≈35",
                x2.map(f -> f.lag().map(s -> number(s.median())).orElse("–")).orElse(NOT_RUN)));
        rows.add(row("x² controls: test acc ≥ 0.99 (runs)", NOT_REPORTED, x2Controls, LockInReproduction::grokked));
        rows.add(row("ReLU (L2 2e-4): detector fires", "0/15", reluRuns, LockInReproduction::fired));
        rows.add(new PaperComparison("ReLU: late separation (runs / controls)", "1.4×",
                relu.map(f -> times(f.separation())).orElse(NOT_RUN)));
        rows.add(row("ReLU: test acc ≥ 0.99 (runs)", NOT_REPORTED, reluRuns, LockInReproduction::grokked));
        rows.add(row("ReLU controls (no L2): detector fires", NOT_REPORTED, reluControls, LockInReproduction::fired));
        rows.add(row("ReLU controls: late λ2/λ3, median", NOT_REPORTED, reluControls, c -> number(c.lateRatio())));
        rows.add(row("ReLU controls: test acc ≥ 0.99 (runs)", NOT_REPORTED, reluControls, LockInReproduction::grokked));
        return rows;
    }

    private static Optional<LockInSummary.ConditionSummary> find(List<LockInSummary.ConditionSummary> all, String name) {
        return all.stream().filter(c -> c.condition().equals(name)).findFirst();
    }

    private static PaperComparison row(String quantity, String paper,
                                                Optional<LockInSummary.ConditionSummary> condition,
                                                Function<LockInSummary.ConditionSummary, String> ours) {
        return new PaperComparison(quantity, paper, condition.map(ours).orElse(NOT_RUN));
    }

    private static String fired(LockInSummary.ConditionSummary c) {
        return c.fired() + "/" + c.runs();
    }

    private static String grokked(LockInSummary.ConditionSummary c) {
        return c.grokked() + "/" + c.runs();
    }

    private static String spread(Optional<Spread> spread) {
        return spread.map(s -> number(s.median()) + " (" + number(s.lowerQuartile()) + "–" + number(s.upperQuartile())
                + ")").orElse("–");
    }

    private static String times(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) + "×" : "–";
    }

    private static String number(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "–";
    }

    /** Epochs to a tenth, else 3 significant digits; no exponent below 1e6: 174, 173.5, 1.31, 0.0213. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        String text = a == 0 ? "0" : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3g", v);
        return text.contains(".") && !text.contains("e") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
