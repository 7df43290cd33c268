package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.Progress;
import dev.sedge.core.explain.BasisScore;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.explain.TargetProbes;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence task end to end: {@code dyck1-depth} (its 50 training strings, 500 test strings) on a small
 * {@code causal-transformer} (d 32, 4 heads, ff 64), AdamW with the Lifecycle protocol's settings
 * (lr 1e−3, wd 1, β2 0.98, batches of 50, clip 1), 150 steps, every parameter snapshotted every 10
 * steps, W = 5. One run is shared by the tests that read it.
 */
class CausalTrainingTests {

    private static final List<String> DYCK = List.of("seed=3", "task.name=dyck1-depth", "task.test-size=500",
            "architecture.name=causal-transformer", "architecture.d-model=32", "architecture.heads=4",
            "architecture.ff=64", "optimizer.name=adamw", "optimizer.learning-rate=0.001",
            "optimizer.weight-decay=1.0", "optimizer.beta2=0.98", "train.steps=150", "train.batch-size=50",
            "train.clip=1.0", "train.eval-every=25", "train.checkpoint-every=50", "spectrum.group=all",
            "spectrum.window=5", "spectrum.every=10", "detectors=");

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path baseline;

    @TempDir
    Path work;

    @BeforeAll
    static void trainBaseline() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        baseline = shared.resolve("baseline");
        Trainer.run(experiment(), baseline, TrainOptions.defaults());
    }

    private static Experiment experiment(String... overrides) {
        List<String> all = new ArrayList<>(DYCK);
        all.addAll(List.of(overrides));
        return Experiment.resolve(ConfigSource.defaults().with(all), registry);
    }

    /**
     * sedge explain on a Dyck-1 run reads the test split per position: its base accuracy is the trainer's
     * test token accuracy at that checkpoint, and ablating the edge gives finite changes.
     */
    @Test
    void explainsADyckRunReadingTheTestSplitPerPosition() throws IOException {
        ExplainJob.Result result = new ExplainJob(registry).run(new ExplainJob.Request(baseline, 150, "all",
                SpectralOptions.of(3), 2, "", List.of("fourier"), Map.of(), 9, 3), Progress.NONE);
        MetricsTable metrics = MetricsCsv.read(new RunLayout(baseline).metrics());
        double trained = metrics.column("test_acc")[metrics.rows() - 1];
        assertEquals(trained, result.ablation().accuracy(), 1e-9, "token accuracy, as the trainer's test_acc at 150");
        double change = result.ablation().edge().orElseThrow().accuracy();
        assertTrue(Double.isFinite(change) && trained + change >= 0 && trained + change <= 1,
                "the change of token accuracy with the edge ablated: " + change);
    }

    /**
     * sedge explain on a Dyck-1 run probes the residual stream onto the depth after each token, over every
     * scored token of the 550 strings, and scores the modes in the depth basis; the file has both, and a
     * second explanation gives the same probes, bit for bit.
     */
    @Test
    void explainsADyckRunWithProbesOntoTheDepthAndTheDepthBasis() throws IOException {
        ExplainJob.Result result = new ExplainJob(registry).run(new ExplainJob.Request(baseline, 150, "all",
                SpectralOptions.of(3), 1, "", List.of("fourier", "depth"), Map.of(), 9, 0), Progress.NONE);
        TargetProbes probes = result.probes().orElseThrow();
        assertEquals("dyck1-depth", probes.target());
        assertEquals("residual", probes.point());
        assertEquals(32, probes.width(), "d-model");
        int scored;
        try (CheckpointModel model = CheckpointModel.open(baseline, registry, 150)) {
            scored = (int) Arrays.stream(model.data().targets(0)).filter(t -> t != TaskData.IGNORE).count();
        }
        assertEquals(scored, probes.train() + probes.test(), "every scored token, trained on or tested");
        assertTrue(probes.test() > 0.2 * scored && probes.test() < 0.4 * scored, "about 30 % tested: " + probes);
        for (double r2 : new double[] {probes.linear(), probes.quadratic(), probes.mlp()}) {
            assertTrue(Double.isFinite(r2) && r2 <= 1, "an R² on held-out tokens: " + probes);
        }
        BasisScore depth = result.directions().getFirst().scores().stream().filter(s -> s.basis().equals("depth"))
                .findFirst().orElseThrow(() -> new AssertionError("the depth basis applies to dyck1-depth"));
        assertTrue(depth.concentration() >= 0 && depth.concentration() <= 1, "F " + depth.concentration());
        JsonNode file = new ObjectMapper().readTree(result.file().toFile());
        assertEquals(probes.mlp(), file.path("probes").path("mlp").asDouble(), 0.0);
        assertEquals(probes.linear(), file.path("probes").path("linear").asDouble(), 0.0);
        ExplainJob.Result again = new ExplainJob(registry).run(new ExplainJob.Request(baseline, 150, "all",
                SpectralOptions.of(3), 1, "", List.of("depth"), Map.of(), 1, 0), Progress.NONE);
        assertEquals(probes, again.probes().orElseThrow(), "the same probes, bit for bit, from a second run");
    }

    @Test
    void trainsDyckDepthIntoAValidRunDirectoryWithTokenAndSequenceAccuracy() throws IOException {
        RunLayout layout = new RunLayout(baseline);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        assertTrue(manifest.provenance().plugins().containsKey("architecture/causal-transformer"),
                manifest.provenance().plugins()::toString);
        assertTrue(Files.readString(layout.metrics()).startsWith(
                "step,train_loss,test_loss,train_acc,test_acc,train_seq_acc,test_seq_acc,learning_rate,"));
        MetricsTable metrics = MetricsCsv.read(layout.metrics());
        assertEquals(7, metrics.rows());
        for (int row = 0; row < metrics.rows(); row++) {
            for (String column : List.of("train_loss", "test_loss", "train_acc", "test_acc", "train_seq_acc",
                    "test_seq_acc", "weight_norm")) {
                double value = metrics.value(row, column);
                assertTrue(Double.isFinite(value), column + " at row " + row + " is " + value);
                if (column.endsWith("acc")) {
                    assertTrue(value >= 0 && value <= 1, column + " at row " + row + " is " + value);
                }
            }
            // a row is right only when every scored position is
            assertTrue(metrics.value(row, "train_seq_acc") <= metrics.value(row, "train_acc"));
            assertTrue(metrics.value(row, "test_seq_acc") <= metrics.value(row, "test_acc"));
        }
        double[] trainAcc = metrics.column("train_acc");
        double[] trainLoss = metrics.column("train_loss");
        assertTrue(trainAcc[6] > trainAcc[0] + 0.1, "train token accuracy " + trainAcc[0] + " -> " + trainAcc[6]);
        assertTrue(trainLoss[6] < trainLoss[0], "train loss " + trainLoss[0] + " -> " + trainLoss[6]);
        assertEquals(List.of(0L, 50L, 100L, 150L), RunLayout.steps(layout.checkpoints()));
        // 15 snapshots of every parameter, a window of 5 differences from the sixth on
        assertEquals(15 - 5 + 1, SpectrumCsv.read(layout.spectrum()).size());
    }

    @Test
    void sameSeedGivesAByteIdenticalRun() throws IOException {
        Path again = work.resolve("again");
        Trainer.run(experiment(), again, TrainOptions.defaults());
        for (long step : List.of(0L, 50L, 100L, 150L)) {
            assertEquals(-1L, Files.mismatch(new RunLayout(baseline).checkpoint(step),
                    new RunLayout(again).checkpoint(step)), "checkpoint " + step);
        }
        assertEquals(-1L, Files.mismatch(baseline.resolve("metrics.csv"), again.resolve("metrics.csv")));
        assertEquals(-1L, Files.mismatch(baseline.resolve("spectrum.csv"), again.resolve("spectrum.csv")));
    }

    @Test
    void aFullBatchStepMeasuresTheTrainPositionsAsAnEvaluationOfItsOwnWould() throws IOException {
        // with a checkpoint at every evaluation, no evaluation borrows the next step's forward pass
        Path fused = work.resolve("fused");
        Trainer.run(experiment("train.batch-size=0", "train.steps=20", "train.eval-every=5",
                "train.checkpoint-every=20", "spectrum.every=1"), fused, TrainOptions.defaults());
        Path direct = work.resolve("direct");
        Trainer.run(experiment("train.batch-size=0", "train.steps=20", "train.eval-every=5",
                "train.checkpoint-every=5", "spectrum.every=1"), direct, TrainOptions.defaults());
        // the 50 train strings are one chunk either way, so the values agree bit for bit
        assertEquals(-1L, Files.mismatch(fused.resolve("metrics.csv"), direct.resolve("metrics.csv")));
        assertEquals(-1L, Files.mismatch(new RunLayout(fused).checkpoint(20), new RunLayout(direct).checkpoint(20)));
    }

    @Test
    void aLabelTaskOnTheCausalTransformerIsRefusedBeforeAnyFile() {
        Experiment modAdd = Experiment.resolve(ConfigSource.defaults().with(List.of("task.name=mod-add",
                "architecture.name=causal-transformer")), registry);
        Path run = work.resolve("mod-add");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> Trainer.run(modAdd, run, TrainOptions.defaults()));
        assertTrue(refused.getMessage().contains("architecture.causal-transformer")
                && refused.getMessage().contains("one label per input"), refused.getMessage());
        assertTrue(Files.notExists(run));
    }
}
