package dev.sedge.core.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A report: a title, a line under it, and sections in order, each a chart or a table (docs/reports.md).
 * {@link ReportWriter} turns it into one self-contained HTML file and a Vega-Lite spec per chart.
 *
 * @param title    the heading (a run's or sweep's folder name)
 * @param subtitle one line under it; may be empty
 * @param sections in order; copied
 */
public record Report(String title, String subtitle, List<Section> sections) {

    public Report {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subtitle, "subtitle");
        sections = List.copyOf(sections);
    }

    /** The charts, in order. */
    public List<Chart> charts() {
        return sections.stream().filter(Chart.class::isInstance).map(Chart.class::cast).toList();
    }

    /** A part of a report. */
    public sealed interface Section permits Chart, Table {

        /** The section's heading. */
        String title();
    }

    /**
     * A chart: a Vega-Lite spec with its data inline, saved as {@code report/<id>.vl.json} beside the HTML.
     *
     * @param id      lower-kebab-case, unique in the report: the spec's file name and the element's id
     * @param title   the heading
     * @param caption what to read off it; may be empty
     * @param spec    a Vega-Lite v6 spec, data included; not copied (built for this chart alone)
     */
    public record Chart(String id, String title, String caption, ObjectNode spec) implements Section {

        public Chart {
            if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("chart id must be lower-kebab-case: " + id);
            }
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * A table of text.
     *
     * @param title  the heading
     * @param header column names
     * @param rows   each as wide as the header; copied
     */
    public record Table(String title, List<String> header, List<List<String>> rows) implements Section {

        public Table {
            Objects.requireNonNull(title, "title");
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("table '" + title + "': a row of " + row.size()
                            + " cells under " + header.size() + " columns");
                }
            }
        }
    }
}
