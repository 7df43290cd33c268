package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Provenance;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.detect.AccuracyCrossings;
import dev.sedge.core.io.AtomicFile;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.ProvenanceJson;
import dev.sedge.core.run.VersionedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Writes a sweep's {@code results.csv} and {@code results.json} (docs/reproductions.md, "Results").
 * The CSV holds one row per run; the JSON the same rows, the failures, and each detector's
 * evaluation. Both are written atomically, the CSV first.
 *
 * <p>Columns: {@code run, condition, control}, one per factor (its key), {@code seed, status}
 * ({@code ok} or {@code failed}), {@code grokked_50, grokked_95, grokked_99} (test accuracy reached
 * 0.5, 0.95, 0.99), {@code t50, t95, t99} (the first evaluated step it did), {@code final_test_acc},
 * per detector {@code <name>.fire_step} and {@code <name>.<statistic>} for every statistic any run
 * reported, {@code level_rho.fire_step, level_rho.max} when any run measured the level metric ρ
 * ({@code train.level-every}; the fire step is the first with ρ &gt; 0.075), then
 * {@code wall_seconds, mode, failure}. An absent value is an empty cell; a cell
 * holding a comma, quote or line break is quoted (RFC 4180).
 */
public final class ResultsFiles {

    /** The results.json format this build writes. */
    public static final int FORMAT_VERSION = 2;

    private ResultsFiles() {
    }

    static void write(SweepOutcome outcome, Path csv, Path json) {
        AtomicFile.writeString(csv, csv(outcome));
        AtomicFile.writeString(json, json(outcome));
    }

    /** The level metric's column prefix, its metrics.csv column. */
    private static final String LEVEL = LevelTrace.COLUMN;

    /** The t(θ) column name: {@code t50} for 0.5. */
    public static String crossingColumn(double threshold) {
        return "t" + Math.round(threshold * 100);
    }

    /** results.csv's content. */
    public static String csv(SweepOutcome outcome) {
        List<String> header = new ArrayList<>(List.of("run", "condition", "control"));
        header.addAll(outcome.plan().factors());
        header.addAll(List.of("seed", "status"));
        AccuracyCrossings.STANDARD.forEach(t -> header.add("grokked_" + Math.round(t * 100)));
        AccuracyCrossings.STANDARD.forEach(t -> header.add(crossingColumn(t)));
        header.add("final_test_acc");
        List<SortedSet<String>> statistics = statisticNames(outcome);
        List<EvaluatedDetector> detectors = outcome.plan().spec().detectors();
        for (int d = 0; d < detectors.size(); d++) {
            String name = detectors.get(d).name();
            header.add(name + ".fire_step");
            statistics.get(d).forEach(s -> header.add(name + "." + s));
        }
        boolean level = outcome.measuredLevel();
        if (level) {
            header.addAll(List.of(LEVEL + ".fire_step", LEVEL + ".max"));
        }
        header.addAll(List.of("wall_seconds", "mode", "failure"));
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (SweepRow row : outcome.rows()) {
            PlannedRun run = row.run();
            List<String> cells = new ArrayList<>(List.of(run.id(), run.condition().slug(),
                    Boolean.toString(run.condition().control())));
            cells.addAll(run.condition().values().values());
            cells.addAll(List.of(Long.toString(run.seed()), row.result().isPresent() ? "ok" : "failed"));
            RunResult r = row.result().orElse(null);
            AccuracyCrossings.STANDARD.forEach(t -> cells.add(r == null ? "" : Boolean.toString(r.reached(t))));
            AccuracyCrossings.STANDARD.forEach(t -> cells.add(r == null || !r.reached(t) ? ""
                    : Long.toString(r.crossings().at(t).getAsLong())));
            cells.add(r == null || r.finalTestAccuracy().isEmpty() ? "" : number(r.finalTestAccuracy().getAsDouble()));
            for (int d = 0; d < detectors.size(); d++) {
                DetectorResult result = r == null ? null : r.detectors().get(detectors.get(d).name());
                cells.add(result == null || result.fireStep().isEmpty() ? ""
                        : Long.toString(result.fireStep().getAsLong()));
                for (String s : statistics.get(d)) {
                    Double v = result == null ? null : result.statistics().get(s);
                    cells.add(v == null ? "" : number(v));
                }
            }
            if (level) {
                Optional<LevelTrace> trace = r == null ? Optional.empty() : r.level();
                cells.add(trace.isPresent() && trace.get().fireStep().isPresent()
                        ? Long.toString(trace.get().fireStep().getAsLong()) : "");
                cells.add(trace.map(t -> number(t.max())).orElse(""));
            }
            cells.add(r == null ? "" : number(r.execution().wallTime().toMillis() / 1000.0));
            cells.add(r == null ? "" : r.execution().mode().id());
            cells.add(row.failure().map(RunFailure::reason).orElse(""));
            line(out, cells);
        }
        return out.toString();
    }

    /** results.json's content. */
    public static String json(SweepOutcome outcome) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        root.put("out", outcome.plan().out().toString());
        outcome.plan().factors().forEach(root.putArray("factors")::add);
        outcome.plan().spec().seeds().forEach(root.putArray("seeds")::add);
        ArrayNode conditions = root.putArray("conditions");
        for (Condition c : outcome.plan().conditions()) {
            ObjectNode node = conditions.addObject();
            node.put("condition", c.slug());
            node.put("control", c.control());
            node.put("group", c.group());
            c.values().forEach(node.putObject("values")::put);
        }
        ArrayNode detectors = root.putArray("detectors");
        outcome.plan().spec().detectors().forEach(d -> {
            ObjectNode node = detectors.addObject().put("name", d.name());
            d.statistic().ifPresentOrElse(s -> node.put("statistic", s), () -> node.putNull("statistic"));
        });
        ObjectNode states = root.putObject("states");
        outcome.states().forEach((s, n) -> states.put(s.name().toLowerCase(Locale.ROOT), n));
        ArrayNode runs = root.putArray("runs");
        outcome.rows().forEach(row -> runs.add(run(row)));
        ArrayNode failures = root.putArray("failures");
        for (RunFailure f : outcome.failures()) {
            ObjectNode node = failures.addObject().put("run", f.run()).put("reason", f.reason())
                    .put("log", f.log().toString());
            f.exitCode().ifPresentOrElse(c -> node.put("exit_code", c), () -> node.putNull("exit_code"));
        }
        ObjectNode evaluation = root.putObject("evaluation");
        for (SweepEvaluation e : outcome.evaluations()) {
            evaluation.set(e.detector().name(), EvaluationJson.of(e));
        }
        List<Path> results = outcome.rows().stream().map(row -> row.run().resultFile()).filter(Files::isRegularFile)
                .toList();
        root.set("provenance", ProvenanceJson.of(Provenance.now(SedgeVersion.current(), Map.of(), Map.of(), 0,
                InputDigests.of(outcome.plan().out(), results))));
        return VersionedJson.render(root);
    }

    /** One run as JSON: labels, then what it measured (nulls when it failed). */
    public static ObjectNode run(SweepRow row) {
        PlannedRun run = row.run();
        ObjectNode node = VersionedJson.object();
        node.put("run", run.id());
        node.put("condition", run.condition().slug());
        node.put("control", run.condition().control());
        run.condition().values().forEach(node.putObject("values")::put);
        node.put("seed", run.seed());
        node.put("status", row.result().isPresent() ? "ok" : "failed");
        node.put("directory", run.directory().toString());
        RunResult r = row.result().orElse(null);
        ObjectNode grokked = node.putObject("grokked");
        for (double t : AccuracyCrossings.STANDARD) {
            if (r == null) {
                grokked.putNull(Double.toString(t));
                node.putNull(crossingColumn(t));
            } else {
                grokked.put(Double.toString(t), r.reached(t));
                SweepJson.put(node, crossingColumn(t), r.crossings().at(t));
            }
        }
        if (r == null) {
            node.putNull("final_test_acc");
            node.putNull("detectors");
            node.putNull("level");
            node.putNull("execution");
            return node;
        }
        SweepJson.put(node, "final_test_acc", r.finalTestAccuracy());
        ObjectNode detectors = node.putObject("detectors");
        r.detectors().forEach((name, d) -> {
            ObjectNode dn = detectors.putObject(name);
            SweepJson.put(dn, "fire_step", d.fireStep());
            ObjectNode statistics = dn.putObject("statistics");
            d.statistics().forEach((k, v) -> SweepJson.put(statistics, k, v));
        });
        r.level().ifPresentOrElse(t -> SweepJson.put(node, "level", t), () -> node.putNull("level"));
        ObjectNode execution = node.putObject("execution");
        execution.put("mode", r.execution().mode().id());
        execution.put("wall_seconds", r.execution().wallTime().toMillis() / 1000.0);
        return node;
    }

    private static List<SortedSet<String>> statisticNames(SweepOutcome outcome) {
        List<SortedSet<String>> out = new ArrayList<>();
        for (EvaluatedDetector d : outcome.plan().spec().detectors()) {
            SortedSet<String> names = new TreeSet<>();
            outcome.rows().forEach(row -> row.result().map(r -> r.detectors().get(d.name()))
                    .ifPresent(result -> names.addAll(result.statistics().keySet())));
            out.add(names);
        }
        return out;
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append('\n');
    }
}
