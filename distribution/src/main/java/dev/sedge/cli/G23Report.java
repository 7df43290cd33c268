package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.sweep.DetectorResult;
import dev.sedge.core.sweep.G23Reproduction;
import dev.sedge.core.sweep.RunResult;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepRow;
import dev.sedge.core.sweep.SweepRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code sedge reproduce g23}: the paper's numbers next to ours, as text, or as
 * {@code {"format_version": 1, "runs": [...], "summary": {...}}}.
 */
final class G23Report {

    /** The reproduction's title, over its paper-vs-sedge table. */
    static final String TITLE = "g23 decline, Thesis replication (docs/science.md)";

    private G23Report() {
    }

    static String text(G23Reproduction.Summary summary) {
        StringBuilder out = PaperTable.text(TITLE, summary.deviations(),
                summary.comparison());
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("condition", "runs", "failed", "grokked (0.95)", "fired (decline > 1.5)", "decline",
                "k* at grokking"));
        for (G23Reproduction.ConditionRow c : summary.conditions()) {
            table.add(List.of(c.condition(), Integer.toString(c.runs()), Integer.toString(c.failed()),
                    c.grokked() + "/" + c.runs(), c.fired() + "/" + c.runs(), declines(c.decline()),
                    c.kstar().isEmpty() ? "–" : c.kstar().toString()));
        }
        out.append(TextColumns.align(table));
        return out.toString();
    }

    private static String declines(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        List<String> parts = values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList();
        return String.join(", ", parts);
    }

    static String json(SweepOutcome outcome, G23Reproduction.Summary summary) {
        ObjectNode root = JsonOutput.document();
        ArrayNode runs = root.putArray("runs");
        for (SweepRow row : outcome.rows()) {
            ObjectNode n = runs.addObject().put("run", row.run().id()).put("condition", row.run().condition().slug())
                    .put("control", row.run().condition().control()).put("seed", row.run().seed())
                    .put("status", row.result().isPresent() ? "ok" : "failed");
            DetectorResult d = row.result().map(RunResult::detectors).map(m -> m.get(G23Reproduction.DETECTOR))
                    .orElse(null);
            if (d == null) {
                n.putNull("statistics");
            } else {
                ObjectNode statistics = n.putObject("statistics");
                d.statistics().forEach((k, v) -> {
                    if (Double.isFinite(v)) {
                        statistics.put(k, v);
                    } else {
                        statistics.put(k, Double.toString(v));
                    }
                });
                if (d.fireStep().isPresent()) {
                    n.put("fire_step", d.fireStep().getAsLong());
                } else {
                    n.putNull("fire_step");
                }
            }
            n.put("directory", row.run().directory().toString());
        }
        ObjectNode s = root.putObject("summary");
        s.put("seeds", summary.seeds());
        summary.deviations().forEach(s.putArray("deviations")::add);
        ObjectNode conditions = s.putObject("conditions");
        for (G23Reproduction.ConditionRow c : summary.conditions()) {
            ObjectNode n = conditions.putObject(c.condition()).put("control", c.control()).put("runs", c.runs())
                    .put("failed", c.failed()).put("grokked", c.grokked()).put("fired", c.fired());
            c.decline().forEach(n.putArray("decline")::add);
            c.kstar().forEach(n.putArray("kstar_at_grokking")::add);
        }
        PaperTable.json(s.putArray("comparison"), summary.comparison());
        s.put("results_csv", outcome.plan().out().resolve(SweepRunner.RESULTS_CSV).toString());
        s.put("results_json", outcome.plan().out().resolve(SweepRunner.RESULTS_JSON).toString());
        return JsonOutput.render(root);
    }
}
