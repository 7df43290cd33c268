package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained run rebuilt at a checkpoint as the neutral {@link ModelFunction}: mlp2 (K = 16) on
 * (a + b) mod 7, 20 full-batch Adam steps, checkpoints every 10.
 */
class CheckpointModelTests {

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path run;

    @BeforeAll
    static void train() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        run = shared.resolve("run");
        Experiment experiment = Experiment.resolve(ConfigSource.defaults().with(List.of("seed=3", "task.name=mod-add",
                "task.p=7", "task.train-size=30", "architecture.name=mlp2", "architecture.hidden=16",
                "optimizer.name=adam", "optimizer.learning-rate=0.01", "train.steps=20", "train.batch-size=0",
                "train.eval-every=10", "train.checkpoint-every=10", "spectrum.window=5", "detectors=")), registry);
        Trainer.run(experiment, run, TrainOptions.defaults());
    }

    @Test
    void describesTheRunsModel() {
        try (CheckpointModel model = CheckpointModel.open(run, registry, 20)) {
            List<LayoutEntry> layout = ManifestFile.read(new RunLayout(run).manifest()).layout();
            assertEquals(layout.stream().map(LayoutEntry::name).toList(),
                    model.parameters().stream().map(TensorInfo::name).toList());
            assertEquals(layout.stream().map(LayoutEntry::shape).toList(),
                    model.parameters().stream().map(TensorInfo::shape).toList());
            assertEquals(7, model.shape().vocabularySize());
            assertEquals(2, model.shape().sequenceLength());
            assertFalse(model.outputs().isEmpty());
            assertEquals(model.parameters().stream().map(TensorInfo::name).toList(),
                    model.checkpoint().stream().map(t -> t.info().name()).toList());
        }
    }

    @Test
    void readsOnlyTheValuesItIsGiven() {
        float[] atTen;
        List<Tensor> tenValues;
        int[] tokens;
        String output;
        try (CheckpointModel ten = CheckpointModel.open(run, registry, 10)) {
            output = ten.outputs().getFirst();
            tokens = ten.trainInputs();
            tenValues = ten.checkpoint();
            atTen = ten.apply(tenValues, tokens, output).values();
        }
        try (ModelFunction twenty = CheckpointModel.open(run, registry, 20)) {
            Activations other = twenty.apply(((CheckpointModel) twenty).checkpoint(), tokens, output);
            assertFalse(Arrays.equals(atTen, other.values()), "20 steps of Adam left the activations unchanged");
            Activations again = twenty.apply(tenValues, tokens, output);
            assertEquals(30, again.rows());
            assertEquals(atTen.length / 30, again.width());
            assertArrayEquals(atTen, again.values(), "the values given, not the model's own, decide the output");
            assertArrayEquals(other.values(), twenty.apply(((CheckpointModel) twenty).checkpoint(), tokens, output)
                    .values(), "a call keeps nothing of the one before");
        }
    }

    @Test
    void refusesWhatItCannotEvaluate() {
        try (CheckpointModel model = CheckpointModel.open(run, registry, 20)) {
            List<Tensor> values = model.checkpoint();
            int[] tokens = model.trainInputs();
            String message = assertThrows(ConfigException.class, () -> model.apply(values, tokens, "nowhere"))
                    .getMessage();
            assertTrue(message.contains("nowhere") && message.contains(model.outputs().getFirst()), message);
            String output = model.outputs().getFirst();
            assertThrows(IllegalArgumentException.class, () -> model.apply(values, new int[] {1, 2, 3}, output));
            assertThrows(IllegalArgumentException.class, () -> model.apply(values, new int[0], output));
            assertThrows(IllegalArgumentException.class, () -> model.apply(values, new int[] {0, 7}, output));
            message = assertThrows(DataFormatException.class, () -> model.apply(values.subList(1, values.size()),
                    tokens, output)).getMessage();
            assertTrue(message.contains(values.getFirst().info().name()), message);
        }
    }
}
