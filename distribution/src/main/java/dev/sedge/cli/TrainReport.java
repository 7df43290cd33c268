package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.repulsion.LevelMetric;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.ForkOrigin;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.train.TrainingPlan;
import dev.sedge.train.TrainingResult;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/** Renders {@code sedge train}'s plan (dry run) and result, as text or JSON. */
final class TrainReport {


    private TrainReport() {
    }

    static String text(TrainingPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("task        ").append(plan.task()).append(" (").append(plan.trainExamples()).append(" train, ")
                .append(plan.testExamples()).append(" test)\n");
        out.append("parameters  ").append(plan.parameterCount()).append(" in ").append(plan.parameters().size())
                .append(" tensors\n");
        for (LayoutEntry e : plan.parameters()) {
            out.append(String.format(Locale.ROOT, "  %-32s %-16s %s%n", e.name(), e.shape(), String.join(", ", e.groups())));
        }
        out.append("spectrum    group '").append(plan.group().name()).append("', p = ")
                .append(plan.group().dimension()).append('\n');
        out.append(String.format(Locale.ROOT, "schedule    %d steps, %d evaluations, %d snapshots, %d windows, "
                + "%d checkpoints%n", plan.steps(), plan.evaluations(), plan.snapshots(), plan.windows(),
                plan.checkpoints()));
        out.append(String.format(Locale.ROOT, "monitor     %.1f MB of heap%n", plan.monitorBytes() / 1e6));
        out.append("config      every key, resolved (the run.json of this run would record these)\n");
        plan.config().forEach((key, value) -> out.append(String.format(Locale.ROOT, "  %-40s %s%n", key, value)));
        return out.toString();
    }

    static String json(TrainingPlan plan) {
        ObjectNode root = JsonOutput.document();
        root.put("task", plan.task());
        root.put("train_examples", plan.trainExamples());
        root.put("test_examples", plan.testExamples());
        root.put("parameter_count", plan.parameterCount());
        ArrayNode parameters = root.putArray("parameters");
        for (LayoutEntry e : plan.parameters()) {
            ObjectNode p = parameters.addObject();
            p.put("name", e.name());
            e.shape().forEach(p.putArray("shape")::add);
            e.groups().forEach(p.putArray("groups")::add);
        }
        root.put("group", plan.group().name());
        root.put("dimension", plan.group().dimension());
        root.put("steps", plan.steps());
        root.put("evaluations", plan.evaluations());
        root.put("snapshots", plan.snapshots());
        root.put("windows", plan.windows());
        root.put("checkpoints", plan.checkpoints());
        root.put("monitor_bytes", plan.monitorBytes());
        plan.config().forEach(root.putObject("config")::put);
        return render(root);
    }

    /** Where the run was forked from, if it was a fork that has not been resumed since. */
    private static Optional<ForkOrigin> forkOf(TrainingResult r) {
        return ManifestFile.read(new RunLayout(r.runDirectory()).manifest()).fork()
                .filter(f -> f.step() == r.resumedFrom());
    }

    static String text(TrainingResult r) {
        StringBuilder out = new StringBuilder();
        out.append("run         ").append(r.runDirectory()).append('\n');
        out.append(String.format(Locale.ROOT, "steps       %d%s in %.1f s, %d windows%n", r.steps(),
                r.resumedFrom() < 0 ? "" : forkOf(r).map(f -> " (forked from " + f.parent() + " at step " + f.step()
                        + (f.spectrumRestarted() ? "; its live spectrum started again there" : "") + ")")
                        .orElse(" (resumed after " + r.resumedFrom() + ")"),
                r.wallTime().toMillis() / 1000.0, r.windows()));
        r.finalMetrics().forEach((k, v) -> {
            if (k.startsWith("train_") || k.startsWith("test_")) {
                out.append(String.format(Locale.ROOT, "  %-20s %.6g%n", k, v));
            }
        });
        for (double threshold : TrainingResult.THRESHOLDS) {
            Long step = r.grokking().get(threshold);
            out.append(String.format(Locale.ROOT, "test acc >= %.2f  %s%n", threshold,
                    step == null ? "never" : "at step " + step));
        }
        for (DetectorSummary d : r.detectors()) {
            out.append("detector    ").append(verdict(d, r.grokking().get(0.99))).append('\n');
            if (!d.statistics().isEmpty()) {
                out.append("              ").append(statistics(d)).append('\n');
            }
        }
        r.level().ifPresent(level -> out.append("level       ").append(verdict(level, r.grokking().get(0.5))).append('\n'));
        for (EdgeEvent e : r.events()) {
            out.append(String.format(Locale.ROOT, "event       %s %s at step %d: %s%n", e.detector(), e.kind(), e.step(),
                    e.message()));
        }
        return out.toString();
    }

    /** "eigengap-slope fired at step 173 (lock-in), 32 steps after test acc reached 0.99 (step 141)". */
    static String verdict(DetectorSummary d, Long t99) {
        if (d.events().isEmpty()) {
            return d.detector() + " did not fire";
        }
        EdgeEvent first = d.events().getFirst();
        String when = t99 == null ? ", test acc never reached 0.99"
                : first.step() >= t99 ? ", " + (first.step() - t99) + " steps after test acc reached 0.99 (step " + t99 + ")"
                : ", " + (t99 - first.step()) + " steps before test acc reached 0.99 (step " + t99 + ")";
        return d.detector() + " fired at step " + first.step() + " (" + first.kind() + ")" + when
                + (d.events().size() > 1 ? "; " + d.events().size() + " events in all" : "");
    }

    /** "level metric rho > 0.075 first at step 25, 77 steps before test acc reached 0.5 (step 102); max 0.127". */
    static String verdict(LevelTrace level, Long t50) {
        String max = String.format(Locale.ROOT, "; max %.4g (measured every %d steps)", level.max(), level.every());
        if (level.fireStep().isEmpty()) {
            return "level metric rho never above " + LevelMetric.THRESHOLD + max;
        }
        long fire = level.fireStep().getAsLong();
        String when = t50 == null ? ", test acc never reached 0.5"
                : fire <= t50 ? ", " + (t50 - fire) + " steps before test acc reached 0.5 (step " + t50 + ")"
                : ", " + (fire - t50) + " steps after test acc reached 0.5 (step " + t50 + ")";
        return "level metric rho > " + LevelMetric.THRESHOLD + " first at step " + fire + when + max;
    }

    private static String number(double v) {
        return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String statistics(DetectorSummary d) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(d.statistics()).forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append(' ')
                .append(number(v)));
        return out.toString();
    }

    static String json(TrainingResult r) {
        ObjectNode root = JsonOutput.document();
        root.put("run_directory", r.runDirectory().toString());
        root.put("steps", r.steps());
        root.put("resumed_from", r.resumedFrom());
        root.put("wall_time_seconds", r.wallTime().toMillis() / 1000.0);
        root.put("windows", r.windows());
        ObjectNode metrics = root.putObject("final_metrics");
        r.finalMetrics().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(k, v);
            } else {
                metrics.put(k, Double.toString(v));
            }
        });
        ObjectNode grokking = root.putObject("grokking");
        for (double threshold : TrainingResult.THRESHOLDS) {
            Long step = r.grokking().get(threshold);
            if (step == null) {
                grokking.putNull(Double.toString(threshold));
            } else {
                grokking.put(Double.toString(threshold), step);
            }
        }
        ArrayNode detectors = root.putArray("detectors");
        for (DetectorSummary d : r.detectors()) {
            ObjectNode node = detectors.addObject();
            node.put("detector", d.detector());
            node.put("fired", !d.events().isEmpty());
            if (d.events().isEmpty()) {
                node.putNull("fire_step");
            } else {
                node.put("fire_step", d.events().getFirst().step());
            }
            node.put("verdict", verdict(d, r.grokking().get(0.99)));
            ObjectNode statistics = node.putObject("statistics");
            new TreeMap<>(d.statistics()).forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    statistics.put(k, v);
                } else {
                    statistics.put(k, Double.toString(v));
                }
            });
        }
        r.level().ifPresentOrElse(level -> {
            ObjectNode node = root.putObject("level");
            node.put("threshold", LevelMetric.THRESHOLD);
            if (level.fireStep().isPresent()) {
                node.put("fire_step", level.fireStep().getAsLong());
            } else {
                node.putNull("fire_step");
            }
            node.put("max", level.max());
            node.put("every", level.every());
            node.put("verdict", verdict(level, r.grokking().get(0.5)));
        }, () -> root.putNull("level"));
        ArrayNode events = root.putArray("events");
        for (EdgeEvent e : r.events()) {
            ObjectNode event = events.addObject();
            event.put("detector", e.detector());
            event.put("step", e.step());
            event.put("kind", e.kind());
            event.put("message", e.message());
        }
        return render(root);
    }

    private static String render(ObjectNode root) {
        return JsonOutput.render(root);
    }
}
