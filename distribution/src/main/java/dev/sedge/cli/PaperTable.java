package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sedge.core.sweep.PaperComparison;
import java.util.ArrayList;
import dev.sedge.core.report.Report;
import java.util.List;

/** The head of every {@code sedge reproduce} report: the title, the deviations, the paper-vs-sedge table. */
final class PaperTable {

    private PaperTable() {
    }

    /** The title, the deviations from the protocol (when any) and the table, as text. */
    static StringBuilder text(String title, List<String> deviations, List<PaperComparison> rows) {
        StringBuilder out = new StringBuilder(title).append(": paper vs sedge\n");
        if (!deviations.isEmpty()) {
            out.append("deviations from the protocol: ").append(String.join("; ", deviations)).append('\n');
        }
        out.append('\n');
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("quantity", "paper", "sedge"));
        rows.forEach(c -> table.add(List.of(c.quantity(), c.paper(), c.ours())));
        return out.append(TextColumns.align(table)).append('\n');
    }

    /** The table as the first section of the reproduction's report. */
    static Report.Table section(String title, List<String> deviations, List<PaperComparison> rows) {
        String heading = title + ": paper vs sedge" + (deviations.isEmpty() ? ""
                : " (deviations from the protocol: " + String.join("; ", deviations) + ")");
        return new Report.Table(heading, List.of("quantity", "paper", "sedge"),
                rows.stream().map(c -> List.of(c.quantity(), c.paper(), c.ours())).toList());
    }

    /** The table's rows added to {@code array}: {@code {"quantity", "paper", "sedge"}}. */
    static void json(ArrayNode array, List<PaperComparison> rows) {
        rows.forEach(c -> array.addObject().put("quantity", c.quantity()).put("paper", c.paper()).put("sedge", c.ours()));
    }
}
