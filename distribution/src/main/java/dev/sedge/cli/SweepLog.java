package dev.sedge.cli;

import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.RunFailure;
import dev.sedge.core.sweep.RunResult;
import dev.sedge.core.sweep.RunState;
import dev.sedge.core.sweep.SweepListener;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A sweep's progress on stderr: one line when it starts, and one per run started and ended. */
final class SweepLog implements SweepListener {

    private final PrintWriter err;

    SweepLog(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(SweepPlan plan, Map<RunState, Integer> states, String executor) {
        List<String> parts = new ArrayList<>();
        add(parts, states.get(RunState.FINISHED), "finished");
        add(parts, states.get(RunState.COLLECT), "to collect");
        add(parts, states.get(RunState.RESUME), "to resume");
        add(parts, states.get(RunState.TRAIN), "to train");
        add(parts, states.get(RunState.RESTART), "to train again");
        err.println("sweep: " + count(plan.runs().size(), "run") + " (" + count(plan.conditions().size(), "condition")
                + " × " + count(plan.spec().seeds().size(), "seed") + ") in " + plan.out().toAbsolutePath() + ": "
                + String.join(", ", parts) + "; " + executor);
        err.flush();
    }

    @Override
    public void runStarted(PlannedRun run, RunState state) {
        String what = switch (state) {
            case TRAIN -> "training";
            case RESUME -> "resuming from its last checkpoint";
            case RESTART -> "training again (nothing to resume from)";
            case COLLECT -> "collecting (it finished training)";
            case FINISHED -> "finished";
        };
        err.println("sweep: " + run.id() + ": " + what);
        err.flush();
    }

    @Override
    public void runFinished(PlannedRun run, Optional<RunResult> result, Optional<RunFailure> failure,
                            SweepProgress progress) {
        String head = "sweep: " + progress.done() + "/" + progress.total() + " done"
                + (progress.failed() > 0 ? " (" + progress.failed() + " failed)" : "")
                + progress.eta().filter(eta -> progress.done() < progress.total()).map(eta -> ", ETA " + duration(eta))
                .orElse("") + ": ";
        if (failure.isPresent()) {
            RunFailure f = failure.get();
            err.println(head + "FAILED " + run.id() + ": " + f.reason() + "; log: " + f.log());
        } else {
            RunResult r = result.orElseThrow();
            StringBuilder line = new StringBuilder(head).append(run.id()).append(' ')
                    .append(r.execution().mode().id()).append(" in ").append(duration(r.execution().wallTime()));
            line.append(r.crossings().at(0.99).isPresent() ? ", test acc 0.99 at " + r.crossings().at(0.99).getAsLong()
                    : ", test acc never 0.99");
            r.detectors().forEach((name, d) -> line.append(", ").append(name).append(d.fireStep().isPresent()
                    ? " fired at " + d.fireStep().getAsLong() : " silent"));
            err.println(line);
        }
        err.flush();
    }

    private static void add(List<String> parts, Integer count, String what) {
        if (count != null && count > 0) {
            parts.add(count + " " + what);
        }
    }

    /** {@code 42 s}, {@code 3 min 5 s}, {@code 1 h 2 min}. */
    static String duration(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
