package dev.sedge.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.sweep.SweepRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report of a sweep folder (docs/reports.md), read from its {@code results.json} (docs/reproductions.md,
 * "Results") and its runs' {@code metrics.csv}: every run's test accuracy, and per detector the fire-step
 * distribution, the confusion counts and the ROC curve of its statistic (grokking runs against controls);
 * the runs and failures as tables. {@code sedge reproduce} puts its paper-vs-sedge table first.
 */
public final class SweepPage {

    /** Points kept of each run's test-accuracy curve. */
    private static final int CURVE_POINTS = 300;
    /** Runs whose curves are drawn; a larger sweep draws none (the page stays light). */
    private static final int CURVE_RUNS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepPage() {
    }

    /** Whether {@code folder} holds a sweep's results. */
    public static boolean isSweep(Path folder) {
        return Files.isRegularFile(folder.resolve(SweepRunner.RESULTS_JSON));
    }

    /**
     * The report of the sweep in {@code folder}, with {@code head} (a reproduction's comparison) first.
     *
     * @throws DataFormatException if its results.json cannot be read
     */
    public static Report of(Path folder, List<Report.Section> head) {
        Path file = folder.resolve(SweepRunner.RESULTS_JSON);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + file + ": " + e.getMessage());
        }
        List<Report.Section> sections = new ArrayList<>(head);
        JsonNode runs = root.path("runs");
        curves(folder, runs).ifPresent(sections::add);
        for (JsonNode detector : root.path("detectors")) {
            detector(detector, runs, root.path("evaluation").path(detector.path("name").asText()), sections);
        }
        sections.add(runTable(root));
        if (!root.path("failures").isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            root.path("failures").forEach(f -> rows.add(List.of(f.path("run").asText(), f.path("reason").asText(),
                    f.path("exit_code").asText("–"), f.path("log").asText())));
            sections.add(new Report.Table("Failed runs", List.of("run", "reason", "exit code", "log"), rows));
        }
        long ok = 0;
        for (JsonNode run : runs) {
            ok += "ok".equals(run.path("status").asText()) ? 1 : 0;
        }
        String subtitle = "sweep · " + root.path("conditions").size() + " conditions · " + runs.size() + " runs ("
                + ok + " finished) · seeds " + root.path("seeds");
        return new Report(folder.toAbsolutePath().normalize().getFileName().toString(), subtitle, sections);
    }

    private static java.util.Optional<Report.Section> curves(Path folder, JsonNode runs) {
        if (runs.size() > CURVE_RUNS) {
            return java.util.Optional.empty();
        }
        ArrayNode rows = VegaLite.rows();
        List<String> names = new ArrayList<>();
        for (JsonNode run : runs) {
            Path metrics = new RunLayout(folder.resolve(run.path("directory").asText())).metrics();
            if (!Files.isRegularFile(metrics)) {
                continue;
            }
            MetricsTable table = MetricsCsv.read(metrics);
            double[] accuracy = table.column("test_acc");
            int step = Math.max(1, table.rows() / CURVE_POINTS);
            String name = run.path("run").asText();
            names.add(name);
            for (int i = 0; i < table.rows(); i += step) {
                SeriesTable.put(rows.addObject().put("step", table.step(i)), name, accuracy[i]);
            }
        }
        if (names.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Report.Chart("test-accuracy", "Test accuracy of every run", "One line per"
                + " run (" + names.size() + "), at most " + CURVE_POINTS + " points each.",
                VegaLite.series("test accuracy", rows, names, false, null)));
    }

    private static void detector(JsonNode detector, JsonNode runs, JsonNode evaluation, List<Report.Section> sections) {
        String name = detector.path("name").asText();
        String statistic = detector.path("statistic").isTextual() ? detector.path("statistic").asText() : null;
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        ArrayNode fires = VegaLite.rows();
        List<double[]> scored = new ArrayList<>(); // {statistic, 1 for grokking}
        for (JsonNode run : runs) {
            JsonNode result = run.path("detectors").path(name);
            if (result.path("fire_step").isNumber()) {
                fires.addObject().put("value", result.path("fire_step").asDouble()).put("series",
                        run.path("condition").asText());
            }
            JsonNode value = statistic == null ? null : result.path("statistics").path(statistic);
            if (value != null && value.isNumber()) {
                scored.add(new double[] {value.asDouble(), run.path("control").asBoolean() ? 0 : 1});
            }
        }
        if (!fires.isEmpty()) {
            sections.add(new Report.Chart(id + "-fire-steps", name + ": fire steps", "The step at which " + name
                    + " first fired, per run that fired, by condition.", VegaLite.histogram("fire step", fires)));
        }
        List<List<String>> rows = new ArrayList<>();
        JsonNode all = evaluation.path("all");
        if (all.isObject()) {
            rows.add(confusionRow("all", all));
            evaluation.path("conditions").properties().forEach(c -> rows.add(confusionRow(c.getKey(), c.getValue())));
            sections.add(new Report.Table(name + ": detection", List.of("runs", "count", "TP", "FP", "TN", "FN",
                    "fire step median (IQR)", "AUROC", "separation"), rows));
        }
        roc(scored).ifPresent(points -> sections.add(new Report.Chart(id + "-roc", name + ": ROC of " + statistic,
                "Grokking runs (positives) against controls, thresholded on " + statistic + "; AUROC "
                        + all.path("auroc").path("value").asText("–") + ".", VegaLite.roc(points))));
    }

    private static List<String> confusionRow(String label, JsonNode r) {
        JsonNode c = r.path("confusion");
        JsonNode fire = r.path("fire_step");
        String spread = fire.isObject() ? fire.path("median").asText() + " (" + fire.path("q1").asText() + "–"
                + fire.path("q3").asText() + ")" : "–";
        return List.of(label, r.path("runs").asText(), c.path("tp").asText(), c.path("fp").asText(),
                c.path("tn").asText(), c.path("fn").asText(), spread,
                r.path("auroc").isObject() ? r.path("auroc").path("value").asText() : "–",
                r.path("separation").isNumber() ? r.path("separation").asText() : "–");
    }

    /** The ROC points of {@code scored} ({statistic, positive}), highest threshold first; empty without both classes. */
    private static java.util.Optional<ArrayNode> roc(List<double[]> scored) {
        long positives = scored.stream().filter(s -> s[1] == 1).count();
        long negatives = scored.size() - positives;
        if (positives == 0 || negatives == 0) {
            return java.util.Optional.empty();
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> s[0]).reversed());
        ArrayNode points = VegaLite.rows();
        points.addObject().put("fpr", 0.0).put("tpr", 0.0).put("order", 0).putNull("threshold");
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < scored.size(); i++) {
            if (scored.get(i)[1] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 == scored.size() || scored.get(i + 1)[0] != scored.get(i)[0]) { // ties move together
                points.addObject().put("fpr", (double) fp / negatives).put("tpr", (double) tp / positives)
                        .put("order", i + 1).put("threshold", scored.get(i)[0]);
            }
        }
        return java.util.Optional.of(points);
    }

    private static Report.Table runTable(JsonNode root) {
        List<String> detectors = new ArrayList<>();
        root.path("detectors").forEach(d -> detectors.add(d.path("name").asText()));
        List<String> header = new ArrayList<>(List.of("run", "condition", "status", "final test acc", "t(0.99)"));
        detectors.forEach(d -> header.add(d + " fire step"));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode run : root.path("runs")) {
            List<String> row = new ArrayList<>(List.of(run.path("run").asText(), run.path("condition").asText(),
                    run.path("status").asText(), text(run.path("final_test_acc")), text(run.path("t99"))));
            detectors.forEach(d -> row.add(text(run.path("detectors").path(d).path("fire_step"))));
            rows.add(row);
        }
        return new Report.Table("Runs", header, rows);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "–" : node.asText();
    }
}
