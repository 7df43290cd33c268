package dev.sedge.core.sweep;

import dev.sedge.api.ConfigException;
import dev.sedge.core.report.ReportWriter;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Decides the {@link RunState} of a planned run from its run directory, and refuses a folder that
 * holds a run of another configuration or something that is not a run. Reads only. Stateless.
 */
final class RunInspector {

    /** What a run directory (and the sweep's files in it) may hold; anything else is not ours to delete. */
    private static final Set<String> RUN_FILES = Set.of("run.json", "metrics.csv", "checkpoints", "spectrum.csv",
            "edges", "events.json", "explain", "report.html", ReportWriter.SPEC_FOLDER, PlannedRun.RESULT_FILE, PlannedRun.LOG_FILE,
            LockInMeasures.SIGN_TEST_FILE);

    private RunInspector() {
    }

    /**
     * @throws ConfigException if the run directory holds a run made with another configuration, or
     *         files that are not a run's
     */
    static RunState inspect(PlannedRun run) {
        Path dir = run.directory();
        if (!Files.exists(dir)) {
            return RunState.TRAIN;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is a file where the sweep keeps run " + run.id()
                    + "; move it away or choose another sweep folder");
        }
        List<String> names = list(dir);
        List<String> foreign = names.stream().filter(n -> !RUN_FILES.contains(n) && !n.startsWith(".")).toList();
        if (!foreign.isEmpty()) {
            throw new ConfigException(dir + " (run " + run.id() + ") holds " + foreign + ", which are not a run's"
                    + " files; move them away or choose another sweep folder");
        }
        RunLayout layout = run.layout();
        if (!RunLayout.isRun(dir)) {
            return names.isEmpty() ? RunState.TRAIN : RunState.RESTART;
        }
        requireSameConfiguration(run, ManifestFile.read(layout.manifest()).provenance().config());
        Path last = layout.checkpoint(run.steps());
        if (Files.isRegularFile(last)) { // the last parameter file is written after every other file of the run
            if (Files.isRegularFile(run.resultFile())) {
                return RunState.FINISHED;
            }
            return Files.isRegularFile(layout.events()) && Files.isRegularFile(layout.metrics()) ? RunState.COLLECT
                    : RunState.RESTART;
        }
        return hasResumableCheckpoint(layout, run.steps()) ? RunState.RESUME : RunState.RESTART;
    }

    private static void requireSameConfiguration(PlannedRun run, Map<String, String> recorded) {
        Map<String, String> planned = run.experiment().effective();
        if (recorded.equals(planned)) {
            return;
        }
        Set<String> keys = new TreeSet<>(recorded.keySet());
        keys.addAll(planned.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String was = recorded.get(key);
            String now = planned.get(key);
            if (was == null || !was.equals(now)) {
                differences.add(key + " = " + (was == null ? "(absent)" : was) + " there, "
                        + (now == null ? "(absent)" : now) + " in this sweep");
            }
        }
        throw new ConfigException(run.directory() + " holds run " + run.id() + " made with another configuration: "
                + String.join("; ", differences.subList(0, Math.min(5, differences.size())))
                + (differences.size() > 5 ? "; …" : "") + ". Choose another sweep folder, or delete that run to redo it");
    }

    /** A parameter file before the last step with its optimizer-state file (Trainer's resume point). */
    private static boolean hasResumableCheckpoint(RunLayout layout, long steps) {
        for (long step : layout.checkpointSteps()) {
            if (step < steps && Files.isRegularFile(stateFile(layout, step))) {
                return true;
            }
        }
        return false;
    }

    /** {@code checkpoints/state/step-N.safetensors}: the optimizer state a resume needs (Trainer's layout). */
    static Path stateFile(RunLayout layout, long step) {
        return layout.checkpoints().resolve("state").resolve(layout.checkpoint(step).getFileName());
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
