package dev.sedge.core.sweep;

import dev.sedge.api.Provenance;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An executor that trains nothing: it writes the files a trained run leaves behind (run.json with the
 * planned configuration, metrics.csv whose test accuracy reaches 1 at step {@code steps/2},
 * events.json where eigengap-slope fires at {@code steps - 1} in grokking conditions, checkpoints at
 * 0, the middle and the end) and records every call.
 */
final class FakeRuns implements RunExecutor {

    /** One call to {@link #execute}. */
    record Call(String run, Action action, boolean markerPresent, Path log) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Predicate<PlannedRun> fails;

    FakeRuns(Predicate<PlannedRun> fails) {
        this.fails = fails;
    }

    FakeRuns() {
        this(run -> false);
    }

    @Override
    public Optional<RunFailure> execute(PlannedRun run, Path conditionFile, Action action, Path log) {
        calls.add(new Call(run.id(), action, Files.exists(run.resultFile()), log));
        if (!Files.isRegularFile(conditionFile)) {
            throw new AssertionError("no condition file " + conditionFile);
        }
        append(log, "fake " + action + " " + run.id() + "\n");
        if (action == Action.TRAIN) {
            started(run);
        }
        if (fails.test(run)) {
            append(log, "sedge: loss became NaN at step 3\n");
            return Optional.of(new RunFailure(run.id(), "exit code 5: loss became NaN at step 3", log,
                    java.util.OptionalInt.of(5), Optional.empty()));
        }
        finish(run);
        return Optional.empty();
    }

    /** What {@code train} leaves after its first checkpoint: run.json and checkpoint 0. */
    static void started(PlannedRun run) {
        RunLayout layout = run.layout();
        Map<String, String> config = run.experiment().effective();
        ManifestFile.write(mkdirs(layout.manifest()), RunManifest.of("trained",
                Provenance.now("test", Map.of(), config, run.seed(), Map.of()), List.of()));
        checkpoint(run, 0);
    }

    /** The rest of a run trained to its end. */
    static void finish(PlannedRun run) {
        long steps = run.steps();
        checkpoint(run, steps / 2);
        checkpoint(run, steps);
        List<Long> stepList = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (long s = 0; s <= steps; s++) {
            stepList.add(s);
            double accuracy = s >= steps / 2 ? 1.0 : 0.0;
            rows.add(new double[] {1.0, 1.0, accuracy, accuracy});
        }
        MetricsCsv.write(run.layout().metrics(), new MetricsTable(MetricsTable.REQUIRED,
                stepList.stream().mapToLong(Long::longValue).toArray(), rows.toArray(double[][]::new)));
        boolean grokking = !run.condition().control();
        List<EdgeEvent> events = grokking ? List.of(new EdgeEvent("eigengap-slope", steps - 1, "lock-in", "fired",
                Map.of())) : List.of();
        EventsFile.write(run.layout().events(), List.of(new DetectorSummary("eigengap-slope", events,
                Map.of("late_ratio", grokking ? 300.0 + run.seed() : 1.3 + run.seed() / 100.0, "max_slope", 0.05))));
    }

    static void checkpoint(PlannedRun run, long step) {
        RunLayout layout = run.layout();
        touch(RunInspector.stateFile(layout, step));
        touch(layout.checkpoint(step));
    }

    private static void touch(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdirs(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int parallelism() {
        return 2;
    }

    @Override
    public String description() {
        return "fake";
    }

    @Override
    public void stopAll() {
    }
}
