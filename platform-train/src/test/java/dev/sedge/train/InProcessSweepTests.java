package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.core.detect.AccuracyCrossings;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.sweep.Condition;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.ResultFile;
import dev.sedge.core.sweep.RunResult;
import dev.sedge.core.sweep.RunState;
import dev.sedge.core.sweep.SweepListener;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny sweep trained for real, in this JVM: mlp2 (K = 64) on (a + b) mod 11, 20 steps, ρ every 5, two conditions. */
class InProcessSweepTests {

    private static final String SPEC = """
            {"set": {"task.p": 11, "task.train-size": 60, "architecture.hidden": 64, "optimizer.learning-rate": 0.01,
                     "train.steps": 20, "train.checkpoint-every": 10, "train.level-every": 5, "spectrum.window": 5,
                     "detector.eigengap-slope.lag": 5, "detector.eigengap-slope.min-step": 10,
                     "detector.eigengap-slope.late-from": 10, "detector.eigengap-slope.late-to": 20},
             "grid": {"optimizer.weight-decay": [0.0002, 0]},
             "controls": {"optimizer.weight-decay": [0]},
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";

    @TempDir
    Path dir;

    @Test
    void trainsEachRunAndResumesOneWhoseLastCheckpointIsGone() throws Exception {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins"));
        SweepPlan plan = SweepPlan.of(SweepSpec.parse(SPEC, dir, "test"), dir.resolve("out"), registry);
        SweepRunner runner = new SweepRunner(new InProcessExecutor(registry), SweepListener.NONE);

        SweepOutcome first = runner.run(plan);

        assertTrue(first.failures().isEmpty(), first.failures().toString());
        PlannedRun run = plan.runs().getFirst();
        RunResult result = ResultFile.read(run.resultFile());
        assertEquals(AccuracyCrossings.of(MetricsCsv.read(run.layout().metrics()), AccuracyCrossings.STANDARD),
                result.crossings());
        DetectorSummary summary = EventsFile.read(run.layout().events()).getFirst();
        assertEquals(summary.statistics(), result.detectors().get("eigengap-slope").statistics());
        assertEquals(LevelTrace.of(MetricsCsv.read(run.layout().metrics())), result.level());
        assertEquals(5, result.level().orElseThrow().every(), "rho measured every 5 steps");
        assertTrue(Files.readString(run.logFile()).contains("trained in-process to step 20"));

        Files.delete(run.resultFile());
        Files.delete(run.layout().checkpoint(20));
        SweepOutcome second = runner.run(plan);

        assertEquals(1, second.states().get(RunState.RESUME));
        assertEquals(1, second.states().get(RunState.FINISHED));
        RunResult resumed = second.rows().getFirst().result().orElseThrow();
        assertEquals(RunResult.Mode.RESUMED, resumed.execution().mode());
        assertEquals(result.crossings(), resumed.crossings());
        assertEquals(result.detectors(), resumed.detectors(), "resuming reproduces the uninterrupted run");
        assertEquals(result.level(), resumed.level());
        assertEquals(List.of("weight-decay-0.0002", "weight-decay-0"),
                plan.conditions().stream().map(Condition::slug).toList());
    }
}
