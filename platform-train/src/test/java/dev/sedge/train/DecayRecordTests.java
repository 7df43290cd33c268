package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight-decay record ({@code checkpoints/decay/}): plain SGD with weight decay ω, whose decay part of
 * one step is −lr·ω·θ before it, so that with a checkpoint at every step the record is known from the
 * checkpoints alone. Snapshots every 3 steps, checkpoints every step: each record is what the snapshots
 * drained plus what the accumulators hold now minus what they held at the previous checkpoint.
 */
class DecayRecordTests {

    private static final double LR = 0.05;
    private static final double WD = 0.01;

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path baseline;

    @TempDir
    Path work;

    private static Experiment experiment() {
        return Experiment.resolve(ConfigSource.defaults().with(List.of("seed=3", "task.name=mod-add", "task.p=11",
                "task.train-size=60", "architecture.name=mlp2", "architecture.hidden=16", "optimizer.name=sgd",
                "optimizer.learning-rate=" + LR, "optimizer.weight-decay=" + WD, "train.steps=12",
                "train.batch-size=0", "train.eval-every=4", "train.checkpoint-every=1", "spectrum.group=layer1",
                "spectrum.window=2", "spectrum.every=3", "detectors=")), registry);
    }

    @BeforeAll
    static void train() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        baseline = shared.resolve("baseline");
        Trainer.run(experiment(), baseline, TrainOptions.defaults());
    }

    @Test
    void eachRecordIsTheIntervalsDecayPart() {
        RunLayout layout = new RunLayout(baseline);
        for (long step = 1; step <= 12; step++) {
            float[] before = group(layout.checkpoint(step - 1));
            float[] record = group(layout.decayPart(step));
            double largest = 0;
            for (float x : before) {
                largest = Math.max(largest, Math.abs(LR * WD * x));
            }
            for (int i = 0; i < record.length; i++) {
                // float accumulation between snapshots rounds at ~1e-7 of the accumulated part
                assertEquals(-LR * WD * before[i], record[i], 1e-6 * largest, "step " + step + ", element " + i);
            }
        }
        assertTrue(Files.exists(layout.decayPart(0)), "step 0 records an empty interval");
    }

    @Test
    void aResumedRunRecordsBitForBitWhatAnUninterruptedOneDoes() throws IOException {
        Path killed = work.resolve("killed");
        TrainOptions killAt8 = TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onStep(StepResult result) {
                if (result.step() == 8) {
                    throw new IllegalStateException("killed at step 8");
                }
            }
        });
        assertThrows(IllegalStateException.class, () -> Trainer.run(experiment(), killed, killAt8));
        RunLayout layout = new RunLayout(killed);
        assertFalse(Files.exists(layout.decayPart(8)));

        Trainer.resume(killed, registry, TrainOptions.defaults()); // from step 7, between two snapshots

        for (long step = 8; step <= 12; step++) {
            Path expected = new RunLayout(baseline).decayPart(step);
            assertEquals(-1L, Files.mismatch(expected, layout.decayPart(step)), "the record at step " + step);
        }
    }

    private static float[] group(Path file) {
        try (Checkpoint c = new SafetensorsFormat().open(file)) {
            List<Float> values = new ArrayList<>();
            for (TensorInfo info : c.tensors()) {
                if (info.name().startsWith("layer1")) {
                    for (float x : c.tensor(info.name()).floats()) {
                        values.add(x);
                    }
                }
            }
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
