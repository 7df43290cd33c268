package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumability: what a sweep does with runs in every state, on an executor that trains nothing. */
class SweepRunnerTests {

    private static final String SPEC = """
            {"set": {"train.steps": 40, "task.p": 11, "task.train-size": 60, "architecture.hidden": 64},
             "conditions": [{"name": "x2"}, {"name": "x2-no-wd", "set": {"optimizer.weight-decay": 0}}],
             "controls": {"optimizer.weight-decay": [0]},
             "seeds": 2,
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static PluginRegistry registry;

    @BeforeAll
    static void loadPlugins() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
    }

    private SweepPlan plan() {
        return SweepPlan.of(SweepSpec.parse(SPEC, dir, "test"), dir.resolve("out"), registry);
    }

    private static SweepOutcome sweep(SweepPlan plan, FakeRuns executor) throws InterruptedException {
        return new SweepRunner(executor, SweepListener.NONE).run(plan);
    }

    @Test
    void trainsEveryRunThenSkipsTheFinishedOnes() throws Exception {
        SweepPlan plan = plan();
        FakeRuns first = new FakeRuns();
        SweepOutcome outcome = sweep(plan, first);

        assertEquals(4, first.calls.size());
        assertTrue(first.calls.stream().allMatch(c -> c.action() == RunExecutor.Action.TRAIN));
        assertTrue(outcome.failures().isEmpty());
        for (PlannedRun run : plan.runs()) {
            assertTrue(Files.isRegularFile(run.resultFile()), run.id());
            assertTrue(Files.readString(run.logFile()).contains("fake TRAIN " + run.id()), "log moved into the run");
            assertTrue(Files.notExists(run.pendingLogFile()));
        }
        assertTrue(Files.isRegularFile(dir.resolve("out/results.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("out/x2-no-wd/condition.json")));

        Files.writeString(plan.run("x2/seed-0").directory().resolve(LockInMeasures.SIGN_TEST_FILE), "{}");
        Files.writeString(plan.run("x2/seed-0").directory().resolve(".lock"), "");
        FakeRuns second = new FakeRuns();
        SweepOutcome again = sweep(plan, second);

        assertEquals(List.of(), second.calls, "sign tests and a lock file are a run's own");
        assertEquals(4, again.states().get(RunState.FINISHED));
        assertEquals(outcome.rows().stream().map(r -> r.result().orElseThrow().crossings()).toList(),
                again.rows().stream().map(r -> r.result().orElseThrow().crossings()).toList());
    }

    @Test
    void writesTheMarkerOnlyAfterARunSucceeded() throws Exception {
        SweepPlan plan = plan();
        FakeRuns executor = new FakeRuns(run -> run.id().equals("x2/seed-1"));
        SweepOutcome outcome = sweep(plan, executor);

        assertTrue(executor.calls.stream().noneMatch(FakeRuns.Call::markerPresent), "no marker while it runs");
        PlannedRun failed = plan.run("x2/seed-1");
        assertFalse(Files.exists(failed.resultFile()));
        assertEquals(1, outcome.failures().size());
        RunFailure f = outcome.failures().getFirst();
        assertEquals("x2/seed-1", f.run());
        assertEquals(5, f.exitCode().orElseThrow());
        assertEquals(failed.logFile(), f.log());
        assertTrue(Files.readString(f.log()).contains("NaN"));
        assertEquals(3, plan.runs().stream().filter(r -> Files.exists(r.resultFile())).count(), "the others go on");
        assertTrue(Files.readString(dir.resolve("out/results.csv")).contains("x2/seed-1,x2,false,2.0E-4,1,failed,,,,,,,,"));
    }

    @Test
    void retriesAFailedRunOnTheNextSweep() throws Exception {
        SweepPlan plan = plan();
        sweep(plan, new FakeRuns(run -> run.id().equals("x2/seed-1")));
        // the fake failure left run.json and checkpoint 0: resumable
        FakeRuns executor = new FakeRuns();
        SweepOutcome outcome = sweep(plan, executor);

        assertEquals(List.of(new FakeRuns.Call("x2/seed-1", RunExecutor.Action.RESUME, false,
                plan.run("x2/seed-1").logFile())), executor.calls);
        assertTrue(outcome.failures().isEmpty());
        assertEquals(RunResult.Mode.RESUMED, outcome.rows().get(1).result().orElseThrow().execution().mode());
    }

    @Test
    void resumesAnInterruptedRunAndDropsAStaleMarker() throws Exception {
        SweepPlan plan = plan();
        sweep(plan, new FakeRuns());
        PlannedRun run = plan.run("x2-no-wd/seed-0");
        Files.delete(run.layout().checkpoint(40));
        Files.delete(RunInspector.stateFile(run.layout(), 40));
        assertEquals(RunState.RESUME, SweepRunner.inspect(plan).get(run), "a marker without the final checkpoint");

        FakeRuns executor = new FakeRuns();
        sweep(plan, executor);

        assertEquals(1, executor.calls.size());
        assertEquals(RunExecutor.Action.RESUME, executor.calls.getFirst().action());
        assertFalse(executor.calls.getFirst().markerPresent(), "the stale marker is deleted before resuming");
        assertTrue(Files.exists(run.resultFile()));
    }

    @Test
    void collectsARunThatFinishedTrainingWithoutItsMarker() throws Exception {
        SweepPlan plan = plan();
        sweep(plan, new FakeRuns());
        PlannedRun run = plan.run("x2/seed-0");
        Files.delete(run.resultFile());

        FakeRuns executor = new FakeRuns();
        SweepOutcome outcome = sweep(plan, executor);

        assertEquals(List.of(), executor.calls, "nothing trains");
        assertEquals(1, outcome.states().get(RunState.COLLECT));
        assertEquals(RunResult.Mode.COLLECTED, ResultFile.read(run.resultFile()).execution().mode());
    }

    @Test
    void trainsAgainARunThatEndedBeforeItsEventsWereWritten() throws Exception {
        SweepPlan plan = plan();
        sweep(plan, new FakeRuns());
        PlannedRun run = plan.run("x2/seed-0");
        Files.delete(run.resultFile());
        Files.delete(run.layout().events());

        assertEquals(RunState.RESTART, SweepRunner.inspect(plan).get(run));
    }

    @Test
    void restartsARunWithNoCheckpointKeepingItsLog() throws Exception {
        SweepPlan plan = plan();
        PlannedRun run = plan.run("x2/seed-1");
        FakeRuns.started(run);
        Files.delete(run.layout().checkpoint(0));
        Files.writeString(run.logFile(), "first attempt\n");
        assertEquals(RunState.RESTART, SweepRunner.inspect(plan).get(run));

        FakeRuns executor = new FakeRuns();
        sweep(plan, executor);

        assertEquals(RunExecutor.Action.TRAIN, executor.calls.stream().filter(c -> c.run().equals(run.id()))
                .findFirst().orElseThrow().action());
        String log = Files.readString(run.logFile());
        assertTrue(log.startsWith("first attempt\n") && log.contains("fake TRAIN"), log);
    }

    @Test
    void refusesARunFolderOfAnotherConfigurationBeforeAnyRunStarts() throws Exception {
        SweepPlan plan = plan();
        sweep(plan, new FakeRuns());
        SweepPlan changed = SweepPlan.of(SweepSpec.parse(SPEC.replace("\"train.steps\": 40", "\"train.steps\": 50"),
                dir, "test"), dir.resolve("out"), registry);

        FakeRuns executor = new FakeRuns();
        ConfigException e = assertThrows(ConfigException.class, () -> sweep(changed, executor));

        assertTrue(e.getMessage().contains("train.steps = 40 there, 50 in this sweep"), e.getMessage());
        assertEquals(List.of(), executor.calls);
    }

    @Test
    void refusesAFolderHoldingFilesThatAreNotARunsOwn() throws IOException {
        SweepPlan plan = plan();
        Files.createDirectories(plan.run("x2/seed-0").directory());
        Files.writeString(plan.run("x2/seed-0").directory().resolve("notes.txt"), "mine");

        ConfigException e = assertThrows(ConfigException.class, () -> sweep(plan, new FakeRuns()));

        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    }

    @Test
    void reportsEveryRunToTheListenerWithTheProgress() throws Exception {
        SweepPlan plan = plan();
        List<SweepProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        new SweepRunner(new FakeRuns(), new SweepListener() {
            @Override
            public void runFinished(PlannedRun run, Optional<RunResult> result, Optional<RunFailure> failure,
                                    SweepProgress progress) {
                seen.add(progress);
            }
        }).run(plan);

        assertEquals(List.of(1, 2, 3, 4), seen.stream().map(SweepProgress::done).sorted().toList());
        assertTrue(seen.stream().allMatch(p -> p.total() == 4 && p.eta().isPresent()));
    }

    @Test
    void readsBackTheMarkerItWrote() throws Exception {
        SweepPlan plan = plan();
        SweepOutcome outcome = sweep(plan, new FakeRuns());
        RunResult written = outcome.rows().getFirst().result().orElseThrow();
        RunResult read = ResultFile.read(plan.runs().getFirst().resultFile());

        assertEquals(written, read);
        assertEquals(Map.of("late_ratio", 300.0, "max_slope", 0.05), read.detectors().get("eigengap-slope").statistics());
        assertEquals(39, read.detectors().get("eigengap-slope").fireStep().orElseThrow());
        assertEquals(20, read.crossings().at(0.99).orElseThrow());
    }
}
