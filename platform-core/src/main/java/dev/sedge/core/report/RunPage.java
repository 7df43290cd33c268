package dev.sedge.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.Provenance;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The report of one run directory (docs/reports.md): what it holds, charted. Loss and accuracy with the
 * detectors' events; σ_j(t) and λ_j(t); the gap ratios with k*; g23; rotation and stability; the latest
 * {@code sedge explain} result (the functional modes, the ablation against random planes, the perturbation
 * curves, the composition probe); the provenance. A part whose file is absent is left out.
 */
public final class RunPage {

    /** Spectrum series drawn: σ_1 … σ_8 at most (the edge and what is under it). */
    private static final int SERIES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPage() {
    }

    /**
     * The report of {@code run}.
     *
     * @throws DataFormatException if a file of the run cannot be read
     */
    public static Report of(Path run) {
        RunLayout layout = new RunLayout(run);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        List<Report.Section> sections = new ArrayList<>();
        ArrayNode events = events(layout);
        if (Files.isRegularFile(layout.metrics())) {
            metrics(MetricsCsv.read(layout.metrics()), events, sections);
        }
        if (Files.isRegularFile(layout.spectrum())) {
            spectrum(SpectrumCsv.read(layout.spectrum()), events, sections);
        }
        List<Long> explained = layout.explanationSteps();
        if (!explained.isEmpty()) {
            explanation(layout.explanation(explained.getLast()), sections);
        }
        sections.add(provenance(manifest));
        return new Report(run.toAbsolutePath().normalize().getFileName().toString(), subtitle(manifest), sections);
    }

    private static String subtitle(RunManifest manifest) {
        Map<String, String> config = manifest.provenance().config();
        List<String> parts = new ArrayList<>();
        parts.add(manifest.kind() + " run");
        for (String key : List.of("task.name", "architecture.name", "optimizer.name")) {
            if (config.containsKey(key)) {
                parts.add(config.get(key));
            }
        }
        if (config.containsKey("train.steps")) {
            parts.add(config.get("train.steps") + " steps");
        }
        parts.add("seed " + manifest.provenance().seed());
        parts.add("sedge " + manifest.provenance().platform());
        return String.join(" · ", parts);
    }

    /** The detectors' events as chart rows ({@code step}, {@code label}). */
    private static ArrayNode events(RunLayout layout) {
        ArrayNode rows = VegaLite.rows();
        if (Files.isRegularFile(layout.events())) {
            for (EventsFile.Entry entry : EventsFile.readEntries(layout.events())) {
                for (EdgeEvent event : entry.summary().events()) {
                    rows.addObject().put("step", event.step()).put("label", event.detector() + ": " + event.kind());
                }
            }
        }
        return rows;
    }

    private static void metrics(MetricsTable metrics, ArrayNode events, List<Report.Section> sections) {
        long[] steps = new long[metrics.rows()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = metrics.step(i);
        }
        SeriesTable table = new SeriesTable(steps);
        MetricsTable.REQUIRED.forEach(column -> table.with(column, metrics.column(column)));
        String fired = events.isEmpty() ? "No detector fired." : "Dashed lines: the detectors' events.";
        List<String> loss = List.of("train_loss", "test_loss");
        List<String> accuracy = List.of("train_acc", "test_acc");
        sections.add(new Report.Chart("loss", "Loss", "Train and test loss (log scale). " + fired,
                VegaLite.series("loss", table.rows(loss), loss, true, events)));
        sections.add(new Report.Chart("accuracy", "Accuracy", "Train and test accuracy. " + fired,
                VegaLite.series("accuracy", table.rows(accuracy), accuracy, false, events)));
    }

    private static void spectrum(List<WindowSpectrum> windows, ArrayNode events, List<Report.Section> sections) {
        if (windows.isEmpty()) {
            return;
        }
        int width = windows.getFirst().width();
        int shown = Math.min(SERIES, width);
        SeriesTable table = new SeriesTable(windows.stream().mapToLong(WindowSpectrum::step).toArray());
        List<String> sigmas = new ArrayList<>();
        List<String> lambdas = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        for (int j = 1; j <= shown; j++) {
            int k = j;
            sigmas.add(table.named("σ_" + j, column(windows, w -> w.sigma(k))));
            lambdas.add(table.named("λ_" + j, column(windows, w -> w.lambda(k))));
            if (j < width) {
                ratios.add(table.named("R_" + j, column(windows, w -> w.ratio(k))));
            }
        }
        List<String> turning = new ArrayList<>();
        for (int j = 1; j <= Math.min(3, width); j++) {
            int k = j;
            turning.add(table.named("rotation v_" + j, column(windows, w -> w.rotationDegrees()[k - 1])));
        }
        List<String> stable = new ArrayList<>();
        for (int j = 1; j <= Math.min(3, width - 1); j++) {
            int k = j;
            stable.add(table.named("stability α_" + j, column(windows, w -> w.alphaDavisKahan()[k - 1])));
        }
        List<String> kstar = List.of(table.named("k*", column(windows, WindowSpectrum::kstar)));
        List<String> g23 = List.of(table.named("g23", column(windows, WindowSpectrum::g23)));
        String window = "Windows of W = " + width + " updates, each plotted at its last step"
                + (shown < width ? "; the first " + shown + " of " + width + " drawn" : "") + ".";
        sections.add(new Report.Chart("sigma", "Singular values σ_j(t)", window + " The spectral edge is the gap"
                + " under σ_k*.", VegaLite.series("σ", table.rows(sigmas), sigmas, true, events)));
        sections.add(new Report.Chart("lambda", "Gram eigenvalues λ_j(t) = σ_j²", window,
                VegaLite.series("λ", table.rows(lambdas), lambdas, true, events)));
        if (!ratios.isEmpty()) {
            sections.add(new Report.Chart("gap-ratios", "Gap ratios R_j = σ_j / σ_j+1", "The largest ratio names"
                    + " the edge k* (the chart below).", VegaLite.series("ratio", table.rows(ratios), ratios, true, events)));
            sections.add(new Report.Chart("kstar", "Edge position k*", "argmax_j R_j at each window.",
                    VegaLite.series("k*", table.rows(kstar), kstar, false, events)));
        }
        if (width >= 3) {
            sections.add(new Report.Chart("g23", "g23 = λ_2 − λ_3", "The gap the lock-in detector watches"
                    + " (eigengap-slope reads λ_2/λ_3).", VegaLite.series("g23", table.rows(g23), g23, false, events)));
        }
        sections.add(new Report.Chart("rotation", "Rotation of the edge directions", "arccos |⟨v_j(t), v_j(t−1)⟩|"
                + " against the previous window, in degrees: small once the edge has locked in.",
                VegaLite.series("degrees", table.rows(turning), turning, false, events)));
        if (!stable.isEmpty()) {
            sections.add(new Report.Chart("stability", "Davis–Kahan stability", "max(0, 1 − ‖ΔG‖²_F / gap_j²): 1"
                    + " where the span of v_1..v_j cannot have moved.",
                    VegaLite.series("α", table.rows(stable), stable, false, events)));
        }
    }

    private static double[] column(List<WindowSpectrum> windows, ToDoubleFunction<WindowSpectrum> value) {
        return windows.stream().mapToDouble(value).toArray();
    }

    /** The charts of one {@code explain/step-N.json} (docs/explain.md). */
    private static void explanation(Path file, List<Report.Section> sections) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + file + ": " + e.getMessage());
        }
        String where = "explain, window ending at step " + root.path("step").asLong() + " (group "
                + root.path("group").asText() + ", W = " + root.path("window").asInt() + ")";
        ArrayNode modes = VegaLite.rows();
        ArrayNode curves = VegaLite.rows();
        ArrayNode probe = VegaLite.rows();
        List<List<String>> table = new ArrayList<>();
        for (JsonNode direction : root.path("directions")) {
            String v = "v_" + direction.path("index").asInt();
            JsonNode best = null;
            for (JsonNode basis : direction.path("bases")) {
                modes.addObject().put("category", basis.path("basis").asText()).put("group", v)
                        .put("value", basis.path("concentration").asDouble()).put("peak", basis.path("peak").asText())
                        .put("lift", basis.path("lift").asDouble()).put("p_value", basis.path("p_value").asDouble());
                best = best == null ? basis : best;
            }
            JsonNode curve = direction.path("perturbation");
            for (String measure : List.of("accuracy", "loss", "kl")) {
                JsonNode eps = curve.path("epsilon");
                JsonNode values = curve.path(measure);
                for (int i = 0; i < eps.size() && i < values.size(); i++) {
                    ObjectNode row = curves.addObject().put("panel", measure).put("series", v)
                            .put("x", eps.get(i).asDouble());
                    SeriesTable.put(row, "value", values.get(i).asDouble(Double.NaN));
                }
            }
            JsonNode r2 = direction.path("probe");
            for (String part : List.of("additive", "multiplicative", "combined", "cross_terms")) {
                if (r2.has(part)) {
                    probe.addObject().put("category", part).put("group", v).put("value", r2.path(part).asDouble());
                }
            }
            JsonNode split = direction.path("split").path("gradient_share");
            table.add(List.of(v, format(direction.path("sigma").asDouble()),
                    best == null ? "" : best.path("label").asText() + ": " + best.path("peak").asText(),
                    best == null ? "" : format(best.path("concentration").asDouble()) + " (" + format(
                            best.path("lift").asDouble()) + "× uniform, p " + format(best.path("p_value").asDouble()) + ")",
                    split.isNumber() ? format(split.asDouble()) : "–"));
        }
        sections.add(new Report.Table("Edge directions (" + where + ")", List.of("direction", "σ",
                "best basis: peak", "concentration F", "gradient share"), table));
        if (!modes.isEmpty()) {
            sections.add(new Report.Chart("explain-modes", "Functional modes: concentration per basis", "F = the"
                    + " largest share of a direction's power in one mode of the basis (1: a single clean mode); " + where
                    + ". Tooltips give the peak mode, F over uniform and the permutation p-value.",
                    VegaLite.bars("concentration F", modes, true, "basis")));
        }
        for (JsonNode direction : root.path("directions")) {
            int index = direction.path("index").asInt();
            if (index > 2) {
                break;
            }
            power(direction, where).ifPresent(sections::add);
            heatmap(direction, root.path("grid")).ifPresent(sections::add);
        }
        byOutput(root.path("directions"), where).ifPresent(sections::add);
        JsonNode ablation = root.path("ablation");
        if (ablation.has("edge")) {
            ArrayNode random = VegaLite.rows();
            for (JsonNode plane : ablation.path("random")) {
                random.addObject().put("category", "random planes").put("value", plane.path("accuracy").asDouble());
            }
            ArrayNode highlights = VegaLite.rows();
            highlights.addObject().put("category", "edge").put("value", ablation.path("edge").path("accuracy").asDouble());
            if (ablation.path("bulk").isObject()) {
                highlights.addObject().put("category", "bulk").put("value", ablation.path("bulk").path("accuracy").asDouble());
            }
            sections.add(new Report.Chart("explain-ablation", "Ablation: test accuracy change", "Projecting the"
                    + " edge plane {v_1, v_2} out of the parameters (red) against random planes (dots); test accuracy"
                    + " before: " + format(ablation.path("accuracy").asDouble()) + ".",
                    VegaLite.strip("test accuracy change", random, highlights)));
        }
        if (!curves.isEmpty()) {
            sections.add(new Report.Chart("explain-perturbation", "Perturbation along each direction", "θ + ε·v_k:"
                    + " test accuracy, loss and KL to the unperturbed predictions, per ε.",
                    VegaLite.panels("ε", curves)));
        }
        if (!probe.isEmpty()) {
            sections.add(new Report.Chart("explain-probe", "Composition probe R²", "How much of each direction's"
                    + " function over (a, b) additive, multiplicative and combined features explain.",
                    VegaLite.bars("R²", probe, true, "features")));
        }
    }

    /** v_k's power per mode in each basis that wrote it (docs/explain.md: the 1-D bases), the peak in red. */
    private static java.util.Optional<Report.Section> power(JsonNode direction, String where) {
        String v = "v_" + direction.path("index").asInt();
        ArrayNode rows = VegaLite.rows();
        for (JsonNode basis : direction.path("bases")) {
            JsonNode modes = basis.path("power").path("modes");
            JsonNode values = basis.path("power").path("values");
            String peak = basis.path("peak").asText();
            String panel = basis.path("label").asText() + ": peak " + peak + ", F " + format(
                    basis.path("concentration").asDouble()) + ", p " + format(basis.path("p_value").asDouble());
            for (int i = 0; i < modes.size() && i < values.size(); i++) {
                ObjectNode row = rows.addObject().put("panel", panel).put("category", modes.get(i).asText())
                        .put("peak", modes.get(i).asText().equals(peak));
                SeriesTable.put(row, "value", values.get(i).asDouble());
            }
        }
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Report.Chart("explain-power-" + v.replace("_", ""), "Power spectrum of " + v
                + " per basis", "The share of " + v + "'s functional mode in each mode of each basis, the peak in red; "
                + where + ".", VegaLite.spectra(rows)));
    }

    /** f̄_k[q] of v_1 and v_2 (docs/explain.md, {@code mode_by_y}): the functional mode averaged per output. */
    private static java.util.Optional<Report.Section> byOutput(JsonNode directions, String where) {
        List<String> names = new ArrayList<>();
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode direction : directions) {
            if (direction.path("index").asInt() <= 2 && direction.path("mode_by_y").size() > 0) {
                names.add("v_" + direction.path("index").asInt());
                values.add(direction.path("mode_by_y"));
            }
        }
        if (names.isEmpty()) {
            return java.util.Optional.empty();
        }
        long[] outputs = java.util.stream.LongStream.range(0, values.getFirst().size()).toArray();
        SeriesTable table = new SeriesTable(outputs);
        for (int k = 0; k < names.size(); k++) {
            JsonNode v = values.get(k);
            table.with(names.get(k), java.util.stream.IntStream.range(0, outputs.length)
                    .mapToDouble(q -> v.path(q).asDouble(Double.NaN)).toArray());
        }
        return java.util.Optional.of(new Report.Chart("explain-by-output", "f̄[q]: the functional modes per output",
                "The mean of f = |Δh|² over the inputs whose output y is q; a Fourier mode over y is a sinusoid in q; "
                        + where + ".", VegaLite.series("output q", "f̄", table.rows(names), names, false, null)));
    }

    /** v_k's functional mode over the (a, b) square, when the inputs are the pairs. */
    private static java.util.Optional<Report.Section> heatmap(JsonNode direction, JsonNode grid) {
        JsonNode mode = direction.path("mode");
        int size = grid.path("size").asInt(0);
        if (size == 0 || mode.size() != size * size) {
            return java.util.Optional.empty();
        }
        String v = "v_" + direction.path("index").asInt();
        String rowsName = grid.path("rows").asText();
        String columnsName = grid.path("columns").asText();
        ArrayNode cells = VegaLite.rows();
        for (int i = 0; i < mode.size(); i++) {
            ObjectNode cell = cells.addObject().put("y", i / size).put("x", i % size);
            SeriesTable.put(cell, "value", mode.get(i).asDouble());
        }
        return java.util.Optional.of(new Report.Chart("explain-mode-" + v.replace("_", ""), v + " over (" + rowsName
                + ", " + columnsName + ")", "f = |Δh|² when the parameters move along " + v + ", at every input: "
                + rowsName + " down, " + columnsName + " across. A Fourier mode over " + rowsName + " + "
                + columnsName + " shows as stripes along the anti-diagonals.",
                VegaLite.heatmap(cells, columnsName, rowsName, "f")));
    }

    private static Report.Table provenance(RunManifest manifest) {
        Provenance p = manifest.provenance();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("kind", manifest.kind()));
        rows.add(List.of("sedge", p.platform() + " (API level " + p.apiLevel() + ")"));
        rows.add(List.of("seed", Long.toString(p.seed())));
        rows.add(List.of("created", p.created()));
        rows.add(List.of("jdk", p.jdk()));
        rows.add(List.of("os", p.os()));
        new TreeMap<>(p.plugins()).forEach((k, v) -> rows.add(List.of("plugin " + k, v)));
        manifest.runtime().forEach((k, v) -> rows.add(List.of("runtime " + k, v)));
        new TreeMap<>(p.config()).forEach((k, v) -> rows.add(List.of(k, v)));
        new TreeMap<>(p.inputs()).forEach((k, v) -> rows.add(List.of("input " + k, v)));
        return new Report.Table("Provenance (run.json)", List.of("key", "value"), rows);
    }

    private static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(java.util.Locale.ROOT, Math.abs(value) >= 1e4 || (value != 0 && Math.abs(value) < 1e-3)
                ? "%.3g" : "%.4g", value);
    }
}
