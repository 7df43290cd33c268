package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.sweep.LifecycleReproduction;
import dev.sedge.core.sweep.LifecycleReproduction.Explained;
import dev.sedge.core.sweep.LifecycleReproduction.Measured;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Renders {@code sedge reproduce lifecycle}: the paper's numbers next to ours and one row per run, as text, or as
 * {@code {"format_version", "runs": [...], "interventions": [...], "summary": {...}}}.
 */
final class LifecycleReport {

    /** The reproduction's title, over its paper-vs-sedge table. */
    static final String TITLE = "Lifecycle paper, Dyck-1, SCAN and addition (docs/reproductions.md)";

    /** The classifier's values each run's row and JSON carry, in order. */
    private static final List<String> FLOW = List.of("transition_step", "grad_share_before", "grad_share_at",
            "grad_share_after", "rotation_after_deg");

    private LifecycleReport() {
    }

    static String text(LifecycleReproduction.Summary summary) {
        StringBuilder out = PaperTable.text(TITLE, summary.deviations(), summary.comparison());
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("run", "class", "transition", "grad% before", "at", "after", "v_1 turns", "explained at",
                "edge ablation (max random)", "max KL v_1", "curvature v_1", "probe R² linear / quad / MLP"));
        for (Measured m : summary.runs()) {
            List<String> row = new ArrayList<>(List.of(m.run().id(),
                    m.verdict().map(v -> v.equals(m.event().orElseThrow().kind()) ? v
                            : v + " (" + m.event().orElseThrow().kind() + " dynamics)")
                            .orElse(m.reason().isEmpty() ? "none" : m.reason()),
                    whole(m.value("transition_step")), percent(m.value("grad_share_before")),
                    percent(m.value("grad_share_at")), percent(m.value("grad_share_after")),
                    m.value("rotation_after_deg").isPresent()
                            ? String.format(Locale.ROOT, "%.1f°", m.value("rotation_after_deg").getAsDouble()) : "-"));
            if (m.explained().isPresent()) {
                Explained e = m.explained().get();
                row.addAll(List.of(Long.toString(e.step()), signed(e.edge()) + " (" + sci(e.random()) + ")",
                        sci(e.maxKl()), f3(e.curvature()), f3(e.linear()) + " / " + f3(e.quadratic()) + " / "
                                + f3(e.mlp())));
            } else {
                row.addAll(List.of("-", "-", "-", "-", "-"));
            }
            table.add(row);
        }
        out.append(TextColumns.align(table));
        return out.toString();
    }

    private static String whole(OptionalDouble value) {
        return value.isPresent() ? Long.toString((long) value.getAsDouble()) : "-";
    }

    private static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * value.getAsDouble()) : "-";
    }

    private static String f3(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "-";
    }

    private static String signed(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%+.3f", value.getAsDouble()) : "-";
    }

    private static String sci(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1e", value.getAsDouble()) : "-";
    }

    static String json(SweepOutcome outcome, LifecycleReproduction.Summary summary) {
        ObjectNode root = JsonOutput.document();
        ArrayNode runs = root.putArray("runs");
        for (Measured m : summary.runs()) {
            ObjectNode n = runs.addObject().put("run", m.run().id()).put("condition", m.run().condition().slug())
                    .put("seed", m.run().seed()).put("directory", m.run().directory().toString());
            if (!m.reason().isEmpty()) {
                n.put("reason", m.reason());
            }
            m.verdict().ifPresentOrElse(v -> n.put("class", v), () -> n.putNull("class"));
            m.event().ifPresentOrElse(e -> n.put("dynamics", e.kind()), () -> n.putNull("dynamics"));
            for (String name : FLOW) {
                number(n, name, m.value(name));
            }
            m.explained().ifPresentOrElse(e -> {
                ObjectNode x = n.putObject("explained").put("file", e.file().toString()).put("step", e.step());
                number(x, "edge_ablation", e.edge());
                number(x, "random_ablation_max", e.random());
                number(x, "max_kl_v1", e.maxKl());
                number(x, "curvature_v1", e.curvature());
                number(x, "gradient_share_v1", e.gradShare());
                number(x, "probe_linear", e.linear());
                number(x, "probe_quadratic", e.quadratic());
                number(x, "probe_mlp", e.mlp());
            }, () -> n.putNull("explained"));
        }
        ArrayNode interventions = root.putArray("interventions");
        for (LifecycleReproduction.Intervention i : summary.interventions()) {
            ObjectNode n = interventions.addObject().put("run", i.run().id()).put("from_step", i.before().step());
            number(n, "probe_linear_before", i.before().linear());
            if (!i.reason().isEmpty()) {
                n.put("reason", i.reason());
            }
            for (var fork : List.of(java.util.Map.entry("decay_on", i.decayOn()), java.util.Map.entry("decay_off",
                    i.decayOff()))) {
                fork.getValue().ifPresentOrElse(e -> {
                    ObjectNode x = n.putObject(fork.getKey()).put("file", e.file().toString()).put("step", e.step());
                    number(x, "probe_linear", e.linear());
                    number(x, "probe_quadratic", e.quadratic());
                    number(x, "probe_mlp", e.mlp());
                    number(x, "edge_ablation", e.edge());
                }, () -> n.putNull(fork.getKey()));
            }
        }
        ObjectNode s = root.putObject("summary");
        s.put("seeds", summary.seeds());
        summary.deviations().forEach(s.putArray("deviations")::add);
        PaperTable.json(s.putArray("comparison"), summary.comparison());
        s.put("results_csv", outcome.plan().out().resolve(SweepRunner.RESULTS_CSV).toString());
        s.put("results_json", outcome.plan().out().resolve(SweepRunner.RESULTS_JSON).toString());
        return JsonOutput.render(root);
    }

    private static void number(ObjectNode node, String name, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(name, value.getAsDouble());
        } else {
            node.putNull(name);
        }
    }
}
