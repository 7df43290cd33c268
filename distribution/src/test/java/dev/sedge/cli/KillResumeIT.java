package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety with real processes: {@code sedge train} and {@code sedge sweep} from the image's launcher,
 * killed with SIGKILL at random moments and resumed. Each resumed run must end bit-identical to an
 * uninterrupted one, and its run directory must read whole after every kill.
 *
 * <p>{@code -Dsedge.killTrials=N} sets the number of kill trials of {@code sedge train} (default 5, a
 * few tens of seconds), {@code -Dsedge.killSeed=S} the seed of their moments (default 17).
 */
class KillResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A short run: a second or two of training after start-up, a checkpoint every 4 of 120 steps. */
    private static final List<String> SHORT = List.of("--set", "task.p=11", "--set", "task.train-size=60",
            "--set", "architecture.hidden=64", "--set", "train.steps=120", "--set", "train.checkpoint-every=4",
            "--set", "spectrum.window=5");
    private static final long LAST_STEP = 120;
    /** Kills are drawn over this share of the uninterrupted run's time, so that few come after its end. */
    private static final double SPAN = 0.9;

    private static final int TRIALS = Integer.getInteger("sedge.killTrials", 5);
    private static final long SEED = Long.getLong("sedge.killSeed", 17);

    /** A sweep's files in a run folder, which a lone training run does not have. */
    private static final Set<String> SWEEP_FILES = Set.of("train.log", "result.json");

    @TempDir
    Path temp;

    private static List<String> train(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--no-report"));
        all.addAll(List.of(args));
        return all;
    }

    private static List<String> trainShort(Path out) {
        List<String> all = train("--out", out.toString());
        all.addAll(SHORT);
        return all;
    }

    @Test
    void everyTrainingRunKilledAtARandomMomentResumesBitIdenticalToAnUninterruptedOne() throws Exception {
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Path reference = temp.resolve("reference");
        Instant launched = Instant.now();
        long started = System.nanoTime();
        ProcessRun uninterrupted = LaunchedSedge.run(temp, logs, trainShort(reference));
        long whole = System.nanoTime() - started;
        assertEquals(Main.OK, uninterrupted.code(), uninterrupted.err());
        long startUp = Math.max(0, Duration.between(launched,
                Files.getLastModifiedTime(reference.resolve("run.json")).toInstant()).toNanos());
        long training = Math.max(whole - startUp, 1);
        assertEquals(List.of(), RunFiles.temporaries(reference));

        Random random = new Random(SEED);
        Map<String, Integer> phases = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        long trialsStarted = System.nanoTime();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path run = temp.resolve("trial-" + trial);
            // one trial in three: a moment of the whole process; the others: of its training, after run.json appeared
            boolean fromLaunch = trial % 3 == 0;
            double fraction = SPAN * random.nextDouble();
            LaunchedSedge process = LaunchedSedge.start(temp, logs, trainShort(run));
            long at;
            if (fromLaunch) {
                at = (long) (fraction * whole);
            } else {
                while (process.isAlive() && !Files.exists(run.resolve("run.json"))) {
                    LockSupport.parkNanos(200_000);
                }
                at = process.elapsedNanos() + (long) (fraction * training);
            }
            while (process.isAlive() && process.elapsedNanos() < at) {
                LockSupport.parkNanos(Math.min(200_000, Math.max(0, at - process.elapsedNanos())));
            }
            long killedAt = process.elapsedNanos();
            int exit = process.killTree(run.toString());
            String err = process.err();
            String phase;
            if (exit == LaunchedSedge.KILLED) {
                phase = phaseOf(run);
                assertFalse(err.contains("sedge: interrupted"), "SIGKILL runs no shutdown hook: " + err);
            } else {
                assertEquals(Main.OK, exit, err);
                phase = "ended before the kill";
            }
            phases.merge(phase, 1, Integer::sum);
            String trialName = String.format(Locale.ROOT, "trial %d (seed %d, killed at %.3f s, %s)", trial, SEED,
                    killedAt / 1e9, phase);

            RunFiles.assertReadable(run, Set.of());
            List<Long> committed = RunFiles.checkpoints(run);
            ProcessRun again;
            String how;
            if (!Files.exists(run.resolve("run.json"))) {
                how = "trained again (no run.json)";
                again = LaunchedSedge.run(temp, logs, trainShort(run));
            } else if (committed.contains(LAST_STEP)) {
                how = "already finished";
                again = LaunchedSedge.run(temp, logs, train("--resume", run.toString()));
                assertEquals(Main.USAGE, again.code(), trialName + ": " + again.err());
                assertTrue(again.err().contains("already finished"), trialName + ": " + again.err());
            } else {
                how = "resumed from " + (committed.isEmpty() ? "the start" : "step " + committed.getLast());
                again = LaunchedSedge.run(temp, logs, train("--resume", run.toString()));
            }
            if (!how.equals("already finished")) {
                assertEquals(Main.OK, again.code(), trialName + ", " + how + ": " + again.err());
            }
            RunFiles.assertSameRun(reference, run, Set.of(), trialName + ", " + how);
            lines.add(trialName + ": " + how + ", bit-identical");
        }
        lines.forEach(l -> System.out.println("KillResumeIT: " + l));
        System.out.printf(Locale.ROOT, "KillResumeIT: %d kill trials (seed %d), all bit-identical, in %.1f s;"
                        + " uninterrupted run %.2f s (start-up %.2f s); kills by phase: %s%n", TRIALS, SEED,
                (System.nanoTime() - trialsStarted) / 1e9, whole / 1e9, startUp / 1e9, phases);
    }

    /**
     * Where the kill landed, read from what it left: the file being written (a temporary one left over),
     * a checkpoint some of whose files exist without its parameter file, or between files.
     */
    static String phaseOf(Path run) throws IOException {
        List<String> temporaries = RunFiles.temporaries(run);
        if (!temporaries.isEmpty()) {
            String relative = temporaries.getFirst();
            String folder = Path.of(relative).getParent() == null ? "" : Path.of(relative).getParent().toString();
            String target = Path.of(relative).getFileName().toString().replaceFirst("^\\.(.+)\\.\\d+\\.[0-9a-f]+\\.tmp$", "$1");
            return "writing " + switch (folder) {
                case "" -> target;
                case "checkpoints" -> "a checkpoint's parameter file";
                default -> "a checkpoint's " + Path.of(folder).getFileName() + " file";
            };
        }
        if (!Files.exists(run.resolve("run.json"))) {
            return "start-up, before run.json";
        }
        List<Long> committed = RunFiles.checkpoints(run);
        long last = committed.isEmpty() ? -1 : committed.getLast();
        for (String sub : List.of("state", "monitor", "decay")) {
            List<Long> steps = dev.sedge.core.run.RunLayout.steps(run.resolve("checkpoints").resolve(sub));
            if (!steps.isEmpty() && steps.getLast() > last) {
                return "inside a checkpoint, between its files";
            }
        }
        if (last < 0) {
            return "start-up, after run.json";
        }
        return last == LAST_STEP ? "after the last checkpoint" : "between checkpoints";
    }

    // ---- the sweep

    private static final String SWEEP = """
            {"set": {"task.p": 11, "task.train-size": 60, "architecture.hidden": 64, "optimizer.learning-rate": 0.01,
                     "train.steps": 120, "train.checkpoint-every": 10, "spectrum.window": 5,
                     "detector.eigengap-slope.lag": 5, "detector.eigengap-slope.min-step": 10,
                     "detector.eigengap-slope.late-from": 60, "detector.eigengap-slope.late-to": 120},
             "conditions": [{"name": "wd", "set": {"optimizer.weight-decay": 0.0002}},
                            {"name": "no-wd", "set": {"optimizer.weight-decay": 0}}],
             "controls": {"optimizer.weight-decay": [0]},
             "seeds": 1,
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";
    private static final long SWEEP_STEPS = 120;
    private static final List<String> RUNS = List.of("wd/seed-0", "no-wd/seed-0");

    private List<String> sweep(Path spec, Path out) {
        return List.of("--json", "sweep", spec.toString(), "--out", out.toString(), "--jobs", "1");
    }

    @Test
    void aSweepKilledMidWayWithItsChildrenResumesToTheUninterruptedResultsRedoingNoFinishedRun() throws Exception {
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Path spec = Files.writeString(temp.resolve("sweep.json"), SWEEP);
        Path reference = temp.resolve("reference");
        ProcessRun uninterrupted = LaunchedSedge.run(temp, logs, sweep(spec, reference));
        assertEquals(Main.OK, uninterrupted.code(), uninterrupted.err());
        JsonNode expected = JSON.readTree(uninterrupted.out());
        double meanRun = 0;
        for (JsonNode run : expected.get("runs")) {
            meanRun += run.at("/execution/wall_seconds").asDouble() / RUNS.size();
        }

        // killed once a run has finished and another is a third through its training
        Path out = temp.resolve("killed");
        LaunchedSedge sweeping = LaunchedSedge.start(temp, logs, sweep(spec, out));
        while (sweeping.isAlive() && (finished(out).isEmpty() || RUNS.stream().noneMatch(r -> midway(out.resolve(r))))) {
            LockSupport.parkNanos(1_000_000);
        }
        long children = sweeping.descendants();
        int exit = sweeping.killTree(out.toString());
        assertEquals(LaunchedSedge.KILLED, exit, "the sweep ended before the kill: " + sweeping.err());
        assertTrue(children >= 1, "a child process was training when the sweep was killed");
        List<String> done = finished(out);
        assertTrue(!done.isEmpty() && done.size() < RUNS.size(), "killed mid-way: finished " + done);
        Map<String, byte[]> markers = new LinkedHashMap<>();
        for (String run : done) {
            markers.put(run, Files.readAllBytes(out.resolve(run).resolve("result.json")));
        }
        Map<String, String> leftAt = new LinkedHashMap<>();
        for (String run : RUNS) {
            Path dir = out.resolve(run);
            RunFiles.assertReadable(dir, SWEEP_FILES);
            leftAt.put(run, done.contains(run) ? "finished" : !Files.exists(dir.resolve("run.json")) ? "not started"
                    : RunFiles.checkpoints(dir).isEmpty() ? "no checkpoint"
                    : RunFiles.checkpoints(dir).contains(SWEEP_STEPS) ? "trained to the end, no marker"
                    : "checkpoint " + RunFiles.checkpoints(dir).getLast() + " (" + phaseOf(dir) + ")");
        }

        long rerun = System.nanoTime();
        ProcessRun again = LaunchedSedge.run(temp, logs, sweep(spec, out));
        double rerunSeconds = (System.nanoTime() - rerun) / 1e9;

        assertEquals(Main.OK, again.code(), again.err());
        assertTrue(again.err().contains(done.size() + " finished"), again.err());
        JsonNode results = JSON.readTree(again.out());
        Map<String, String> modes = new LinkedHashMap<>();
        for (int i = 0; i < RUNS.size(); i++) {
            String run = RUNS.get(i);
            JsonNode row = results.at("/runs/" + i);
            assertEquals(run, row.get("run").asText());
            modes.put(run, row.at("/execution/mode").asText());
            if (done.contains(run)) {
                assertArrayEquals(markers.get(run), Files.readAllBytes(out.resolve(run).resolve("result.json")),
                        run + " was not redone: its marker, with its execution's times, is the one it had");
                assertEquals("trained", row.at("/execution/mode").asText(), run + " keeps its first execution");
            } else {
                // trained again (killed before its first checkpoint), resumed, or collected (killed after its last)
                assertTrue(Set.of("resumed", "trained", "collected").contains(row.at("/execution/mode").asText()),
                        row.toString());
            }
            assertEquals(comparable(expected.at("/runs/" + i)), comparable(row),
                    run + ": the result of an uninterrupted sweep");
            RunFiles.assertSameRun(reference.resolve(run), out.resolve(run), SWEEP_FILES, "sweep run " + run);
        }
        assertEquals(expected.get("evaluation"), results.get("evaluation"));
        System.out.printf(Locale.ROOT, "KillResumeIT: sweep of %d runs (1 job, mean run %.1f s) killed with its %d"
                        + " descendant processes at %s; rerun in %.1f s: %s; every run bit-identical to the"
                        + " uninterrupted sweep's%n", RUNS.size(), meanRun, children, leftAt, rerunSeconds, modes);
    }

    /** Whether the run in {@code dir} has committed a third of its checkpoints, and not the last. */
    private static boolean midway(Path dir) {
        List<Long> steps = RunFiles.checkpoints(dir);
        return !steps.isEmpty() && steps.getLast() >= SWEEP_STEPS / 3 && steps.getLast() < SWEEP_STEPS;
    }

    /** The runs of the sweep in {@code out} that have their marker, in plan order. */
    private static List<String> finished(Path out) {
        return RUNS.stream().filter(r -> Files.exists(out.resolve(r).resolve("result.json"))).toList();
    }

    /** A run's part of results.json without what differs between two sweeps: its folder and its execution. */
    private static JsonNode comparable(JsonNode run) {
        ObjectNode copy = run.deepCopy();
        copy.remove(List.of("directory", "execution"));
        return copy;
    }
}
