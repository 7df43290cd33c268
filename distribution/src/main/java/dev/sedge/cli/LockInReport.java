package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.detect.Spread;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.sweep.DetectorResult;
import dev.sedge.core.sweep.LockInMeasures;
import dev.sedge.core.sweep.LockInReproduction;
import dev.sedge.core.sweep.LockInSummary;
import dev.sedge.core.sweep.RunFailure;
import dev.sedge.core.sweep.RunResult;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepRow;
import dev.sedge.core.sweep.SweepRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Renders {@code sedge reproduce lock-in}: the paper's numbers next to ours, as text, or as
 * {@code {"format_version": 1, "runs": [...], "summary": {...}}}.
 */
final class LockInReport {

    /** The reproduction's title, over its paper-vs-sedge table. */
    static final String TITLE = "Lock-in detector, Feature Repulsion paper (docs/science.md)";


    private LockInReport() {
    }

    static String text(SweepOutcome outcome, LockInSummary summary) {
        StringBuilder out = PaperTable.text(TITLE,
                summary.deviations(), summary.comparison());
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("condition", "activation", "L2", "runs", "failed", "test acc 0.99", "fired",
                "fire epoch median (IQR)", "late λ2/λ3", "t50", "t99"));
        for (LockInSummary.ConditionSummary c : summary.conditions()) {
            table.add(List.of(c.condition(), c.activation(), c.weightDecay(), Integer.toString(c.runs()),
                    Integer.toString(c.failed()), c.grokked() + "/" + c.runs(), c.fired() + "/" + c.runs(),
                    SweepReport.spread(c.fireStep()), number(c.lateRatio()), number(c.t50()), number(c.t99())));
        }
        out.append(TextColumns.align(table));
        out.append("\nRepulsion sign test (sedge repulsion; float64, the margins in each run's sign-test.json;"
                + " repulsive: the share of pairs with B_jl < 0, docs/science.md)\n\n");
        List<List<String>> signs = new ArrayList<>();
        signs.add(List.of("condition", "epoch", "paper (median)", "runs", "sign match median (IQR)",
                "repulsive median (IQR)"));
        summary.signTests().forEach(r -> signs.add(List.of(r.condition(), Long.toString(r.epoch()), r.paper(),
                Integer.toString(r.runs()), SweepReport.spread(r.score()), SweepReport.spread(r.repulsive()))));
        out.append(signs.size() == 1 ? "(no run tested)\n" : TextColumns.align(signs));
        out.append("\nLevel metric rho (fires at rho > 0.075)\n\n");
        List<List<String>> level = new ArrayList<>();
        level.add(List.of("quantity", "paper", "sedge"));
        summary.level().forEach(c -> level.add(List.of(c.quantity(), c.paper(), c.ours())));
        out.append(TextColumns.align(level));
        List<RunFailure> failures = outcome.failures();
        if (!failures.isEmpty()) {
            out.append('\n').append(failures.size()).append(" runs failed (run the command again to retry them):\n");
            failures.forEach(f -> out.append("  ").append(f.run()).append(": ").append(f.reason()).append("; log: ")
                    .append(f.log()).append('\n'));
        }
        out.append("\nper run: ").append(outcome.plan().out().resolve(SweepRunner.RESULTS_CSV)).append(", ")
                .append(outcome.plan().out().resolve(SweepRunner.RESULTS_JSON)).append('\n');
        return out.toString();
    }

    static String json(SweepOutcome outcome, LockInSummary summary) {
        ObjectNode root = JsonOutput.document();
        ArrayNode runs = root.putArray("runs");
        outcome.rows().forEach(row -> runs.add(run(row, summary.runs().get(row.run().id()))));
        ObjectNode s = root.putObject("summary");
        s.put("seeds", summary.seeds());
        summary.deviations().forEach(s.putArray("deviations")::add);
        ObjectNode conditions = s.putObject("conditions");
        for (LockInSummary.ConditionSummary c : summary.conditions()) {
            ObjectNode n = conditions.putObject(c.condition());
            n.put("control", c.control());
            n.put("activation", c.activation());
            n.put("weight_decay", Double.parseDouble(c.weightDecay()));
            n.put("runs", c.runs());
            n.put("failed", c.failed());
            n.put("grokked", c.grokked());
            n.put("fired", c.fired());
            spread(n, "fire_step", c.fireStep());
            put(n, "late_ratio", c.lateRatio());
            put(n, "t50", c.t50());
            put(n, "t99", c.t99());
        }
        ArrayNode signTests = s.putArray("sign_tests");
        for (LockInSummary.SignTestRow r : summary.signTests()) {
            ObjectNode n = signTests.addObject().put("condition", r.condition()).put("epoch", r.epoch())
                    .put("paper", r.paper()).put("runs", r.runs());
            spread(n, "sign_match", r.score());
            spread(n, "repulsive_fraction", r.repulsive());
        }
        ArrayNode level = s.putArray("level");
        summary.level().forEach(c -> level.addObject().put("quantity", c.quantity()).put("paper", c.paper())
                .put("sedge", c.ours()));
        family(s, "x2", summary.x2());
        family(s, "relu", summary.relu());
        PaperTable.json(s.putArray("comparison"), summary.comparison());
        s.put("results_csv", outcome.plan().out().resolve(SweepRunner.RESULTS_CSV).toString());
        s.put("results_json", outcome.plan().out().resolve(SweepRunner.RESULTS_JSON).toString());
        return JsonOutput.render(root);
    }

    /** One run: its labels and the detector's outcome; measurements are null when it failed. */
    private static ObjectNode run(SweepRow row, LockInMeasures measures) {
        ObjectNode n = JsonOutput.object();
        n.put("run", row.run().id());
        n.put("condition", row.run().condition().slug());
        n.put("control", row.run().condition().control());
        n.put("activation", row.run().condition().values().getOrDefault("architecture.activation", ""));
        n.put("weight_decay", Double.parseDouble(row.run().condition().values().get("optimizer.weight-decay")));
        n.put("seed", row.run().seed());
        n.put("status", row.result().isPresent() ? "ok" : "failed");
        RunResult r = row.result().orElse(null);
        DetectorResult d = r == null ? null : r.detectors().get(LockInReproduction.DETECTOR);
        if (r == null) {
            n.putNull("grokked");
        } else {
            n.put("grokked", r.reached(0.99));
        }
        put(n, "fire_step", d == null ? OptionalLong.empty() : d.fireStep());
        Double late = d == null ? null : d.statistics().get(LockInReproduction.STATISTIC);
        put(n, "late_ratio", late == null ? OptionalDouble.empty() : OptionalDouble.of(late));
        put(n, "t50", r == null ? OptionalLong.empty() : r.crossings().at(0.5));
        put(n, "t95", r == null ? OptionalLong.empty() : r.crossings().at(0.95));
        put(n, "t99", r == null ? OptionalLong.empty() : r.crossings().at(0.99));
        put(n, "final_test_acc", r == null ? OptionalDouble.empty() : r.finalTestAccuracy());
        LockInMeasures m = measures;
        Optional<LevelTrace> level = m == null ? Optional.empty() : m.level();
        Optional<LevelTrace> centered = m == null ? Optional.empty() : m.levelCentered();
        put(n, "level_fire_step", level.map(LevelTrace::fireStep).orElse(OptionalLong.empty()));
        put(n, "level_max", level.map(t -> OptionalDouble.of(t.max())).orElse(OptionalDouble.empty()));
        put(n, "level_centered_fire_step", centered.map(LevelTrace::fireStep).orElse(OptionalLong.empty()));
        put(n, "level_centered_max", centered.map(t -> OptionalDouble.of(t.max())).orElse(OptionalDouble.empty()));
        if (m == null || m.signTests().isEmpty()) {
            n.putNull("sign_match");
            n.putNull("repulsive_fraction");
        } else {
            ObjectNode signs = n.putObject("sign_match");
            ObjectNode repulsive = n.putObject("repulsive_fraction");
            m.signTests().forEach((step, score) -> {
                signs.put(Long.toString(step), score.signMatch());
                repulsive.put(Long.toString(step), score.repulsiveFraction());
            });
        }
        n.put("directory", row.run().directory().toString());
        return n;
    }

    private static void family(ObjectNode s, String name, Optional<LockInSummary.FamilySummary> family) {
        if (family.isEmpty()) {
            s.putNull(name);
            return;
        }
        ObjectNode n = s.putObject(name);
        put(n, "separation", family.get().separation());
        spread(n, "lag_after_t99", family.get().lag());
    }

    private static void spread(ObjectNode n, String field, Optional<Spread> spread) {
        spread.ifPresentOrElse(x -> n.putObject(field).put("count", x.count()).put("median", x.median())
                .put("q1", x.lowerQuartile()).put("q3", x.upperQuartile()), () -> n.putNull(field));
    }

    private static void put(ObjectNode n, String field, OptionalDouble value) {
        if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
            n.put(field, value.getAsDouble());
        } else if (value.isPresent()) {
            n.put(field, Double.toString(value.getAsDouble()));
        } else {
            n.putNull(field);
        }
    }

    private static void put(ObjectNode n, String field, OptionalLong value) {
        if (value.isPresent()) {
            n.put(field, value.getAsLong());
        } else {
            n.putNull(field);
        }
    }

    private static String number(OptionalDouble v) {
        return v.isPresent() ? SweepReport.number(v.getAsDouble()) : "–";
    }
}
