package dev.sedge.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Vega-Lite v6 specs sedge's reports draw, data inline: series over steps (with the detector events as
 * rules), bars, and the few shapes the run and sweep reports need. Each factory returns a new spec.
 */
final class VegaLite {

    static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int WIDTH = 860;
    private static final int HEIGHT = 260;

    private VegaLite() {
    }

    /** An empty array for rows. */
    static ArrayNode rows() {
        return NODES.arrayNode();
    }

    /**
     * Series over the step: one line per column of {@code rows} (wide rows: {@code step} and one field per column),
     * with {@code events} ({@code step}, {@code label}) drawn as dashed rules labelled at the top.
     *
     * @param logY a log y scale (non-positive values are left out)
     */
    static ObjectNode series(String yTitle, ArrayNode rows, List<String> columns, boolean logY, ArrayNode events) {
        return series("step", yTitle, rows, columns, logY, events);
    }

    /** {@link #series(String, ArrayNode, List, boolean, ArrayNode)} with the x axis ({@code step} field) titled {@code xTitle}. */
    static ObjectNode series(String xTitle, String yTitle, ArrayNode rows, List<String> columns, boolean logY,
                             ArrayNode events) {
        ObjectNode line = NODES.objectNode();
        line.set("data", values(rows));
        ArrayNode transform = line.putArray("transform");
        ObjectNode fold = transform.addObject();
        fold.set("fold", strings(columns));
        fold.set("as", strings(List.of("series", "value")));
        transform.addObject().put("filter", logY ? "isValid(datum.value) && datum.value > 0" : "isValid(datum.value)");
        line.putObject("mark").put("type", "line").put("strokeWidth", 1.5).put("clip", true);
        ObjectNode encoding = line.putObject("encoding");
        encoding.set("x", field("step", "quantitative", xTitle));
        ObjectNode y = field("value", "quantitative", yTitle);
        if (logY) {
            y.putObject("scale").put("type", "log");
        }
        encoding.set("y", y);
        ObjectNode color = field("series", "nominal", null);
        color.set("sort", strings(columns));
        color.putObject("legend").put("orient", "right").putNull("title");
        encoding.set("color", color);
        ArrayNode tooltip = encoding.putArray("tooltip");
        tooltip.add(field("step", "quantitative", xTitle));
        tooltip.add(field("series", "nominal", "series"));
        tooltip.add(field("value", "quantitative", "value").put("format", ".4~g"));
        ObjectNode spec = base();
        ArrayNode layer = spec.putArray("layer");
        layer.add(line);
        if (events != null && !events.isEmpty()) {
            layer.add(eventRules(events));
            layer.add(eventLabels(events));
        }
        return spec;
    }

    /** Vertical dashed rules at the events' steps, with the event in the tooltip. */
    private static ObjectNode eventRules(ArrayNode events) {
        ObjectNode rule = NODES.objectNode();
        rule.set("data", values(events));
        rule.putObject("mark").put("type", "rule").put("color", "#c0392b")
                .set("strokeDash", NODES.arrayNode().add(5).add(3));
        ObjectNode encoding = rule.putObject("encoding");
        encoding.set("x", field("step", "quantitative", "step"));
        ArrayNode tooltip = encoding.putArray("tooltip");
        tooltip.add(field("label", "nominal", "event"));
        tooltip.add(field("step", "quantitative", "step"));
        return rule;
    }

    private static ObjectNode eventLabels(ArrayNode events) {
        ObjectNode text = NODES.objectNode();
        text.set("data", values(events));
        text.putObject("mark").put("type", "text").put("color", "#c0392b").put("align", "left").put("dx", 3)
                .put("baseline", "top").put("y", 2).put("fontSize", 11);
        ObjectNode encoding = text.putObject("encoding");
        encoding.set("x", field("step", "quantitative", "step"));
        encoding.set("text", field("label", "nominal", null));
        return text;
    }

    /**
     * Bars of {@code value} per {@code category}, grouped side by side and coloured by {@code group} when {@code grouped}.
     */
    static ObjectNode bars(String yTitle, ArrayNode rows, boolean grouped, String categoryTitle) {
        ObjectNode spec = base();
        spec.set("data", values(rows));
        spec.putObject("mark").put("type", "bar").put("tooltip", true);
        ObjectNode encoding = spec.putObject("encoding");
        ObjectNode x = field("category", "nominal", categoryTitle);
        x.putNull("sort");
        x.putObject("axis").put("labelAngle", 0).put("labelLimit", 160);
        encoding.set("x", x);
        encoding.set("y", field("value", "quantitative", yTitle));
        if (grouped) {
            encoding.set("xOffset", field("group", "nominal", null));
            ObjectNode color = field("group", "nominal", null);
            color.putObject("legend").putNull("title");
            encoding.set("color", color);
        }
        spec.put("width", Math.min(WIDTH, Math.max(240, 60 * rows.size())));
        return spec;
    }

    /** Points of {@code value} per {@code category} (jittered), for a distribution such as the random ablations. */
    static ObjectNode strip(String yTitle, ArrayNode points, ArrayNode highlights) {
        ObjectNode spec = base();
        ArrayNode layer = spec.putArray("layer");
        ObjectNode dots = layer.addObject();
        dots.set("data", values(points));
        dots.putObject("mark").put("type", "point").put("filled", true).put("opacity", 0.5).put("tooltip", true);
        ObjectNode e = dots.putObject("encoding");
        e.set("x", field("category", "nominal", null).put("sort", "ascending"));
        e.set("y", field("value", "quantitative", yTitle));
        if (highlights != null && !highlights.isEmpty()) {
            ObjectNode bar = layer.addObject();
            bar.set("data", values(highlights));
            bar.putObject("mark").put("type", "tick").put("thickness", 3).put("size", 40).put("color", "#c0392b")
                    .put("tooltip", true);
            ObjectNode b = bar.putObject("encoding");
            b.set("x", field("category", "nominal", null).put("sort", "ascending"));
            b.set("y", field("value", "quantitative", yTitle));
        }
        spec.put("width", 420);
        return spec;
    }

    /** Lines of {@code value} over {@code x} per {@code series}, one panel per {@code panel}, side by side. */
    static ObjectNode panels(String xTitle, ArrayNode rows) {
        ObjectNode inner = NODES.objectNode();
        inner.putObject("mark").put("type", "line").put("point", true).put("tooltip", true);
        ObjectNode e = inner.putObject("encoding");
        e.set("x", field("x", "quantitative", xTitle));
        ObjectNode y = field("value", "quantitative", null);
        y.putObject("scale").put("zero", false);
        e.set("y", y);
        ObjectNode color = field("series", "nominal", null);
        color.putObject("legend").putNull("title");
        e.set("color", color);
        inner.put("width", 250).put("height", 180);
        ObjectNode column = field("panel", "nominal", null);
        column.putObject("header").putNull("title").put("labelFontSize", 12);
        return faceted(rows, "column", column, inner, "y");
    }

    /**
     * One bar chart per {@code panel} (stacked vertically, each its own x): the power of each mode
     * ({@code category}, in data order), the peak ({@code peak} true) in red.
     */
    static ObjectNode spectra(ArrayNode rows) {
        ObjectNode inner = NODES.objectNode();
        inner.putObject("mark").put("type", "bar").put("tooltip", true);
        ObjectNode e = inner.putObject("encoding");
        ObjectNode x = field("category", "ordinal", "mode");
        x.putNull("sort");
        x.putObject("axis").put("labelOverlap", "greedy").put("labelAngle", -45);
        e.set("x", x);
        e.set("y", field("value", "quantitative", "share of power"));
        ObjectNode color = NODES.objectNode();
        color.putObject("condition").put("test", "datum.peak").put("value", "#c0392b");
        color.put("value", "#4c78a8");
        e.set("color", color);
        inner.put("width", WIDTH - 60).put("height", 140);
        ObjectNode row = field("panel", "nominal", null);
        row.putNull("sort");
        row.putObject("header").putNull("title").put("labelAngle", 0).put("labelAlign", "left").put("labelOrient", "top")
                .put("labelFontSize", 12);
        return faceted(rows, "row", row, inner, "x");
    }

    /** {@code inner} repeated per value of {@code facet} along {@code channel}, that scale independent per panel. */
    private static ObjectNode faceted(ArrayNode rows, String channel, ObjectNode facet, ObjectNode inner,
                                      String independent) {
        ObjectNode spec = NODES.objectNode();
        spec.put("$schema", SCHEMA);
        spec.set("data", values(rows));
        spec.putObject("facet").set(channel, facet);
        spec.set("spec", inner);
        spec.putObject("resolve").putObject("scale").put(independent, "independent");
        return spec;
    }

    /** A cell per (row, column) coloured by value: the 2-D heatmap of a function over (a, b). */
    static ObjectNode heatmap(ArrayNode cells, String xTitle, String yTitle, String valueTitle) {
        ObjectNode spec = base();
        spec.set("data", values(cells));
        spec.putObject("mark").put("type", "rect").put("tooltip", true);
        ObjectNode e = spec.putObject("encoding");
        e.set("x", field("x", "ordinal", xTitle));
        ((ObjectNode) e.get("x")).putObject("axis").put("labelOverlap", "greedy");
        e.set("y", field("y", "ordinal", yTitle));
        ((ObjectNode) e.get("y")).putObject("axis").put("labelOverlap", "greedy");
        ObjectNode color = field("value", "quantitative", valueTitle);
        color.putObject("scale").put("scheme", "viridis");
        e.set("color", color);
        spec.put("width", 420).put("height", 420);
        return spec;
    }

    /** A histogram of {@code value} (binned), stacked by {@code series}. */
    static ObjectNode histogram(String xTitle, ArrayNode rows) {
        ObjectNode spec = base();
        spec.set("data", values(rows));
        spec.putObject("mark").put("type", "bar").put("tooltip", true);
        ObjectNode e = spec.putObject("encoding");
        ObjectNode x = field("value", "quantitative", xTitle);
        x.putObject("bin").put("maxbins", 40);
        e.set("x", x);
        e.putObject("y").put("aggregate", "count").put("type", "quantitative").put("title", "runs");
        ObjectNode color = field("series", "nominal", null);
        color.putObject("legend").putNull("title");
        e.set("color", color);
        spec.put("width", 520).put("height", 200);
        return spec;
    }

    /** A ROC curve through {@code fpr}, {@code tpr} points (in {@code order}, each with its {@code threshold}), with the diagonal. */
    static ObjectNode roc(ArrayNode points) {
        ObjectNode spec = base();
        ArrayNode layer = spec.putArray("layer");
        ObjectNode diagonal = layer.addObject();
        diagonal.set("data", values(NODES.arrayNode().add(NODES.objectNode().put("fpr", 0).put("tpr", 0))
                .add(NODES.objectNode().put("fpr", 1).put("tpr", 1))));
        diagonal.putObject("mark").put("type", "line").put("color", "#bbb")
                .set("strokeDash", NODES.arrayNode().add(4).add(4));
        ObjectNode d = diagonal.putObject("encoding");
        d.set("x", field("fpr", "quantitative", "false positive rate"));
        d.set("y", field("tpr", "quantitative", "true positive rate"));
        ObjectNode curve = layer.addObject();
        curve.set("data", values(points));
        curve.putObject("mark").put("type", "line").put("point", true);
        ObjectNode c = curve.putObject("encoding");
        c.set("x", field("fpr", "quantitative", "false positive rate"));
        c.set("y", field("tpr", "quantitative", "true positive rate"));
        c.set("order", field("order", "quantitative", null));
        ArrayNode tooltip = c.putArray("tooltip");
        tooltip.add(field("threshold", "quantitative", "threshold").put("format", ".4~g"));
        tooltip.add(field("fpr", "quantitative", "false positive rate"));
        tooltip.add(field("tpr", "quantitative", "true positive rate"));
        spec.put("width", 320).put("height", 320);
        return spec;
    }

    private static ObjectNode base() {
        ObjectNode spec = NODES.objectNode();
        spec.put("$schema", SCHEMA);
        spec.put("width", WIDTH).put("height", HEIGHT);
        return spec;
    }

    private static ObjectNode values(JsonNode rows) {
        ObjectNode data = NODES.objectNode();
        data.set("values", rows);
        return data;
    }

    private static ObjectNode field(String name, String type, String title) {
        ObjectNode f = NODES.objectNode().put("field", name).put("type", type);
        if (title != null) {
            f.put("title", title);
        }
        return f;
    }

    private static ArrayNode strings(List<String> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(array::add);
        return array;
    }
}
