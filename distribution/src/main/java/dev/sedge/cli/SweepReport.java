package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.detect.EvaluationReport;
import dev.sedge.core.detect.Spread;
import dev.sedge.core.detect.ThresholdLag;
import dev.sedge.core.repulsion.LevelMetric;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.sweep.Condition;
import dev.sedge.core.sweep.DetectorResult;
import dev.sedge.core.sweep.EvaluatedDetector;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.RunFailure;
import dev.sedge.core.sweep.RunResult;
import dev.sedge.core.sweep.RunState;
import dev.sedge.core.sweep.SweepEvaluation;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRow;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders a sweep's plan (dry run) as text or JSON, and its outcome as text (its JSON is results.json). */
final class SweepReport {


    private SweepReport() {
    }

    static String plan(SweepPlan plan, Map<PlannedRun, RunState> states) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("condition", "control", "group", "values"));
        for (Condition c : plan.conditions()) {
            rows.add(List.of(c.slug(), Boolean.toString(c.control()), c.group(), c.values().toString()));
        }
        StringBuilder out = new StringBuilder(TextColumns.align(rows)).append('\n');
        List<List<String>> runs = new ArrayList<>();
        runs.add(List.of("run", "steps", "state", "directory"));
        states.forEach((run, state) -> runs.add(List.of(run.id(), Long.toString(run.steps()),
                state.name().toLowerCase(Locale.ROOT), run.directory().toString())));
        return out.append(TextColumns.align(runs)).toString();
    }

    /** The plan as {@code {"format_version": 1, "out", "conditions": [...], "runs": [{"run", "seed", "steps", "state", "directory"}]}}. */
    static String planJson(SweepPlan plan, Map<PlannedRun, RunState> states) {
        ObjectNode root = JsonOutput.document().put("out", plan.out().toString());
        ArrayNode conditions = root.putArray("conditions");
        for (Condition c : plan.conditions()) {
            ObjectNode node = conditions.addObject().put("condition", c.slug()).put("control", c.control())
                    .put("group", c.group());
            c.values().forEach(node.putObject("values")::put);
        }
        ArrayNode runs = root.putArray("runs");
        states.forEach((run, state) -> runs.addObject().put("run", run.id()).put("seed", run.seed())
                .put("steps", run.steps()).put("state", state.name().toLowerCase(Locale.ROOT))
                .put("directory", run.directory().toString()));
        return JsonOutput.render(root);
    }

    /** {@code sedge sweep --status DIR}: the last array, then one row per run (run, state, detail), then counts. */
    static String status(SweepStatus status) {
        StringBuilder out = new StringBuilder();
        status.job().ifPresent(job -> out.append("sweep ").append(status.out()).append(": last Slurm job array ")
                .append(job).append('\n'));
        status.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run", "state", "detail"));
        status.runs().forEach(r -> rows.add(List.of(r.id(), r.state().name().toLowerCase(Locale.ROOT), r.detail())));
        out.append(TextColumns.align(rows)).append('\n');
        List<String> counts = new ArrayList<>();
        for (SweepStatus.State state : SweepStatus.State.values()) {
            if (status.count(state) > 0) {
                counts.add(status.count(state) + " " + state.name().toLowerCase(Locale.ROOT));
            }
        }
        return out.append(status.runs().size()).append(" runs: ").append(String.join(", ", counts)).append('\n')
                .toString();
    }

    /** {@code {"format_version": 2, "out", "job", "runs": [{"run", "state", "detail"}], "notes"}}. */
    static String statusJson(SweepStatus status) {
        ObjectNode root = JsonOutput.document().put("out", status.out().toString());
        root.put("job", status.job().orElse(null));
        ArrayNode runs = root.putArray("runs");
        status.runs().forEach(r -> runs.addObject().put("run", r.id())
                .put("state", r.state().name().toLowerCase(Locale.ROOT)).put("detail", r.detail()));
        status.notes().forEach(root.putArray("notes")::add);
        return JsonOutput.render(root);
    }

    static String text(SweepOutcome outcome) {
        StringBuilder out = new StringBuilder();
        List<EvaluatedDetector> detectors = outcome.plan().spec().detectors();
        List<String> header = new ArrayList<>(List.of("run", "status", "t50", "t95", "t99"));
        for (EvaluatedDetector d : detectors) {
            header.add(d.name());
            d.statistic().ifPresent(header::add);
        }
        boolean level = outcome.measuredLevel();
        if (level) {
            header.addAll(List.of("rho > " + LevelMetric.THRESHOLD, "max rho"));
        }
        List<List<String>> rows = new ArrayList<>(List.of(header));
        for (SweepRow row : outcome.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.run().id() + (row.run().condition().control() ? " (control)"
                    : ""), row.result().isPresent() ? "ok" : "FAILED"));
            RunResult r = row.result().orElse(null);
            for (double t : List.of(0.5, 0.95, 0.99)) {
                cells.add(r == null ? "" : r.crossings().at(t).isPresent() ? Long.toString(r.crossings().at(t).getAsLong())
                        : "never");
            }
            for (EvaluatedDetector d : detectors) {
                DetectorResult result = r == null ? null : r.detectors().get(d.name());
                cells.add(result == null ? "" : result.fireStep().isPresent()
                        ? "fired " + result.fireStep().getAsLong() : "silent");
                d.statistic().ifPresent(s -> cells.add(result == null || !result.statistics().containsKey(s) ? ""
                        : number(result.statistics().get(s))));
            }
            if (level) {
                Optional<LevelTrace> trace = r == null ? Optional.empty() : r.level();
                cells.add(trace.map(t -> t.fireStep().isPresent() ? "at " + t.fireStep().getAsLong() : "never")
                        .orElse(""));
                cells.add(trace.map(t -> number(t.max())).orElse(""));
            }
            rows.add(cells);
        }
        out.append(TextColumns.align(rows));
        for (SweepEvaluation e : outcome.evaluations()) {
            out.append('\n').append(e.detector().name()).append(e.detector().statistic()
                    .map(s -> " (AUROC and separation of " + s + ")").orElse("")).append('\n');
            List<List<String>> table = new ArrayList<>();
            table.add(List.of("runs of", "n", "TP", "FP", "TN", "FN", "fire step median (IQR)", "lag vs t99", "AUROC",
                    "separation"));
            table.add(evaluationRow("all", e.all()));
            e.groups().forEach((g, r) -> table.add(evaluationRow(g, r)));
            e.conditions().forEach((c, r) -> table.add(evaluationRow(c, r)));
            out.append(TextColumns.align(table));
        }
        List<RunFailure> failures = outcome.failures();
        if (!failures.isEmpty()) {
            out.append('\n').append(failures.size()).append(failures.size() == 1 ? " run failed" : " runs failed")
                    .append(" (run the sweep again to retry them):\n");
            failures.forEach(f -> out.append("  ").append(f.run()).append(": ").append(f.reason()).append("; log: ")
                    .append(f.log()).append('\n'));
        }
        int skipped = outcome.states().getOrDefault(RunState.FINISHED, 0);
        out.append('\n').append(outcome.rows().size()).append(" runs").append(skipped > 0 ? " (" + skipped
                + " finished before)" : "").append(": ").append(outcome.plan().out().resolve(SweepRunner.RESULTS_CSV))
                .append(", ").append(outcome.plan().out().resolve(SweepRunner.RESULTS_JSON)).append('\n');
        return out.toString();
    }

    private static List<String> evaluationRow(String label, EvaluationReport r) {
        var c = r.confusion();
        Optional<Spread> lag = r.lags().stream().filter(l -> l.threshold() == 0.99).findFirst()
                .flatMap(ThresholdLag::lag);
        return List.of(label, Integer.toString(r.runs()), Integer.toString(c.truePositives()),
                Integer.toString(c.falsePositives()), Integer.toString(c.trueNegatives()),
                Integer.toString(c.falseNegatives()), spread(r.fireStep()), lag.map(s -> number(s.median())).orElse("–"),
                r.auroc().map(a -> number(a.value())).orElse("–"),
                r.separation().isPresent() ? number(r.separation().getAsDouble()) + "×" : "–");
    }

    static String spread(Optional<Spread> spread) {
        return spread.map(s -> number(s.median()) + " (" + number(s.lowerQuartile()) + "–" + number(s.upperQuartile())
                + ")").orElse("–");
    }

    /** Shortest readable form: integers without a point, else up to 4 significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+($|e)", "$1$2").replaceAll("\\.($|e)", "$1");
    }
}
