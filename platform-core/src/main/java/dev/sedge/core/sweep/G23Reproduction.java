package dev.sedge.core.sweep;

import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

/**
 * The g23 decline protocol of the Thesis replication (docs/science.md, "g23 decline", and
 * docs/reproductions.md) as a built-in sweep, and its published numbers. The protocol itself is the
 * resource {@code g23.json} (a sweep spec; the docs show it verbatim): the Functional Modes transformer
 * at p = 97 on six operations, four that grok (add, sub, mul, x² + y²) and two that do not
 * (a² + ab + b², a³ + ab), each with weight decay 1.0 and without, 3 seeds; W = 10 uncentered over the
 * attention weights, a snapshot every 100 steps; the g23-decline detector.
 */
public final class G23Reproduction {

    /** The protocol's resource, next to this class. */
    public static final String RESOURCE = "g23.json";
    /** The detector evaluated and its statistic. */
    public static final String DETECTOR = "g23-decline";
    public static final String STATISTIC = "decline";
    /** Seeds per condition in the paper. */
    public static final int PAPER_SEEDS = 3;
    /** The operations that grok, whose weight-decay runs the paper counts (12 = 4 × 3 seeds). */
    public static final List<String> GROKKING = List.of("add", "sub", "mul", "x2y2");
    /** The operations that do not grok. */
    public static final List<String> NOT_GROKKING = List.of("a2abb2", "a3ab");
    /** The paper's decline threshold. */
    public static final double MIN_DECLINE = 1.5;

    private static final String NO_WD = "-no-wd";

    private G23Reproduction() {
    }

    /** The protocol as a sweep spec. */
    public static SweepSpec spec() {
        return SweepSpec.builtIn(G23Reproduction.class, RESOURCE, "built-in g23 protocol");
    }

    /**
     * One condition's runs.
     *
     * @param condition the condition's name ({@code add}, {@code add-no-wd} …)
     * @param control   whether it is a control (no weight decay)
     * @param runs      its planned runs
     * @param failed    runs that did not finish
     * @param grokked   finished runs whose test accuracy reached 0.95
     * @param fired     finished runs whose decline exceeded {@value #MIN_DECLINE} (the detector fired)
     * @param decline   the decline of the runs that grokked (and had windows before grokking)
     * @param kstar     k* of the window at grokking, per grokked run, where spectrum.csv has it
     */
    public record ConditionRow(String condition, boolean control, int runs, int failed, int grokked, int fired,
                               List<Double> decline, List<Integer> kstar) {
        public ConditionRow {
            Objects.requireNonNull(condition, "condition");
            decline = List.copyOf(decline);
            kstar = List.copyOf(kstar);
        }
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param seeds      seeds per condition
     * @param deviations how the sweep departs from the protocol
     * @param comparison the paper's claims and ours
     * @param conditions every condition run
     */
    public record Summary(int seeds, List<String> deviations, List<PaperComparison> comparison,
                          List<ConditionRow> conditions) {
        public Summary {
            deviations = List.copyOf(deviations);
            comparison = List.copyOf(comparison);
            conditions = List.copyOf(conditions);
        }
    }

    /**
     * Our numbers next to the paper's.
     *
     * @param outcome    a sweep of {@link #spec} (possibly fewer seeds or conditions)
     * @param deviations how the run departs from the protocol besides seeds and conditions; not modified
     */
    public static Summary summarize(SweepOutcome outcome, List<String> deviations) {
        int seeds = outcome.plan().spec().seeds().size();
        List<String> all = outcome.deviationsFrom(spec(), deviations);
        List<ConditionRow> rows = new ArrayList<>();
        for (Condition c : outcome.plan().conditions()) {
            rows.add(row(c, outcome.rows().stream().filter(r -> r.run().condition().equals(c)).toList()));
        }
        List<ConditionRow> grokking = rows.stream().filter(r -> GROKKING.contains(r.condition())).toList();
        List<ConditionRow> controls = rows.stream()
                .filter(r -> GROKKING.stream().anyMatch(op -> r.condition().equals(op + NO_WD))).toList();
        List<ConditionRow> neverGrok = rows.stream().filter(r -> NOT_GROKKING.contains(r.condition())).toList();
        List<Double> declines = grokking.stream().flatMap(r -> r.decline().stream()).toList();
        List<Integer> kstar = grokking.stream().flatMap(r -> r.kstar().stream()).toList();
        List<PaperComparison> comparison = List.of(
                new PaperComparison("add, sub, mul, x²+y² with weight decay: decline > 1.5", "12/12",
                        count(grokking, ConditionRow::fired) + unmeasured(grokking)),
                new PaperComparison("their decline, mean (range)", "40× (15–110×)", mean(declines)),
                new PaperComparison("the same four without weight decay: decline > 1.5", "0/12",
                        count(controls, ConditionRow::fired)),
                new PaperComparison("without weight decay: grokked (test acc 0.95)", "not reported",
                        count(controls, ConditionRow::grokked)),
                new PaperComparison("k* at grokking ≤ 3 (runs)", "all",
                        kstar.isEmpty() ? "-" : kstar.stream().filter(k -> k <= 3).count() + "/" + kstar.size()),
                new PaperComparison("a²+ab+b², a³+ab with weight decay: grokked", "0 (no grokking)",
                        count(neverGrok, ConditionRow::grokked)));
        return new Summary(seeds, all, comparison, rows);
    }

    private static String count(List<ConditionRow> rows, ToIntFunction<ConditionRow> what) {
        if (rows.isEmpty()) {
            return "not run";
        }
        return rows.stream().mapToInt(what).sum() + "/" + rows.stream().mapToInt(ConditionRow::runs).sum();
    }

    /**
     * Why some runs have no decline: failed, did not grok, or grokked at the first window (no window
     * before t_g for the numerator). Empty when every run has one.
     */
    private static String unmeasured(List<ConditionRow> rows) {
        int failed = rows.stream().mapToInt(ConditionRow::failed).sum();
        int runs = rows.stream().mapToInt(ConditionRow::runs).sum();
        int grokked = rows.stream().mapToInt(ConditionRow::grokked).sum();
        int measured = rows.stream().mapToInt(r -> r.decline().size()).sum();
        List<String> parts = new ArrayList<>();
        if (failed > 0) {
            parts.add(failed + " failed");
        }
        if (runs - failed - grokked > 0) {
            parts.add((runs - failed - grokked) + " did not grok");
        }
        if (grokked - measured > 0) {
            parts.add((grokked - measured) + " grokked by the first window, no decline");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String mean(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%.1f× (%.1f–%.1f×)", mean, min, max);
    }

    private static ConditionRow row(Condition c, List<SweepRow> rows) {
        int failed = 0;
        int grokked = 0;
        int fired = 0;
        List<Double> decline = new ArrayList<>();
        List<Integer> kstar = new ArrayList<>();
        for (SweepRow row : rows) {
            if (row.result().isEmpty()) {
                failed++;
                continue;
            }
            RunResult result = row.result().get();
            DetectorResult detector = result.detectors().get(DETECTOR);
            if (detector == null) {
                continue;
            }
            if (detector.statistics().getOrDefault("grokked", 0.0) > 0) {
                grokked++;
                Double d = detector.statistics().get(STATISTIC);
                if (d != null) {
                    decline.add(d);
                }
                kstarAt(row.run().layout().spectrum(), detector.statistics().get("grokking_step")).ifPresent(kstar::add);
            }
            fired += detector.fireStep().isPresent() ? 1 : 0;
        }
        return new ConditionRow(c.slug(), c.control(), rows.size(), failed, grokked, fired, decline, kstar);
    }

    private static OptionalInt kstarAt(Path spectrum, Double step) {
        if (step == null || !Files.exists(spectrum)) {
            return OptionalInt.empty();
        }
        return SpectrumCsv.read(spectrum).stream().filter(w -> w.step() == step.longValue())
                .mapToInt(WindowSpectrum::kstar).findFirst();
    }
}
