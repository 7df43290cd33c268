package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.sweep.FunctionalModesReproduction;
import dev.sedge.core.sweep.FunctionalModesReproduction.Measures;
import dev.sedge.core.sweep.FunctionalModesReproduction.Score;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Renders {@code sedge reproduce functional-modes}: the paper's numbers next to ours and one row per run,
 * as text, or as {@code {"format_version": 1, "runs": [...], "summary": {...}}}.
 */
final class FunctionalModesReport {

    /** The reproduction's title, over its paper-vs-sedge table. */
    static final String TITLE = "Functional Modes paper, p = 97 transformer (docs/explain.md)";

    private FunctionalModesReport() {
    }

    static String text(FunctionalModesReproduction.Summary summary) {
        StringBuilder out = PaperTable.text(TITLE,
                summary.deviations(), summary.comparison());
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("run", "step", "v_1 best basis", "F", "x uniform", "peak", "p", "fourier F", "dlog F",
                "fourier peaks v_1..", "probe add+mul / +cross", "edge ablation (max random)"));
        for (FunctionalModesReproduction.Explained e : summary.runs()) {
            if (e.measures().isEmpty()) {
                table.add(List.of(e.run().id(), "-", e.reason(), "", "", "", "", "", "", "", "", ""));
                continue;
            }
            Measures m = e.measures().get();
            Score b = m.best();
            table.add(List.of(e.run().id(), Long.toString(m.step()), b.label(), f3(b.concentration()),
                    String.format(Locale.ROOT, "%.1f", b.lift()), b.peak(), f3(b.pValue()),
                    m.fourier().map(s -> f3(s.concentration())).orElse("-"), f3(m.dlog()), String.join(" ", m.peaks()),
                    f3(m.combined()) + " / " + f3(m.crossTerms()),
                    signed(m.edge()) + " (" + f3(m.random()) + ")"));
        }
        out.append(TextColumns.align(table));
        return out.toString();
    }

    private static String f3(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String f3(OptionalDouble value) {
        return value.isPresent() ? f3(value.getAsDouble()) : "-";
    }

    private static String signed(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%+.3f", value.getAsDouble()) : "-";
    }

    static String json(SweepOutcome outcome, FunctionalModesReproduction.Summary summary) {
        ObjectNode root = JsonOutput.document();
        ArrayNode runs = root.putArray("runs");
        for (FunctionalModesReproduction.Explained e : summary.runs()) {
            ObjectNode n = runs.addObject().put("run", e.run().id()).put("condition", e.run().condition().slug())
                    .put("seed", e.run().seed()).put("directory", e.run().directory().toString());
            if (e.measures().isEmpty()) {
                n.putNull("explain_file").put("reason", e.reason());
                continue;
            }
            Measures m = e.measures().get();
            n.put("explain_file", m.file().toString()).put("step", m.step());
            score(n.putObject("best"), m.best());
            m.fourier().ifPresentOrElse(s -> score(n.putObject("fourier"), s), () -> n.putNull("fourier"));
            number(n, "dlog_concentration", m.dlog());
            m.peaks().forEach(n.putArray("fourier_peaks")::add);
            number(n, "probe_combined", m.combined());
            number(n, "probe_cross_terms", m.crossTerms());
            number(n, "edge_ablation", m.edge());
            number(n, "random_ablation_max", m.random());
        }
        ObjectNode s = root.putObject("summary");
        s.put("seeds", summary.seeds());
        summary.deviations().forEach(s.putArray("deviations")::add);
        PaperTable.json(s.putArray("comparison"), summary.comparison());
        s.put("results_csv", outcome.plan().out().resolve(SweepRunner.RESULTS_CSV).toString());
        s.put("results_json", outcome.plan().out().resolve(SweepRunner.RESULTS_JSON).toString());
        return JsonOutput.render(root);
    }

    private static void score(ObjectNode node, Score s) {
        node.put("basis", s.basis()).put("label", s.label()).put("concentration", s.concentration())
                .put("lift", s.lift()).put("peak", s.peak()).put("p_value", s.pValue());
    }

    private static void number(ObjectNode node, String name, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(name, value.getAsDouble());
        } else {
            node.putNull(name);
        }
    }
}
