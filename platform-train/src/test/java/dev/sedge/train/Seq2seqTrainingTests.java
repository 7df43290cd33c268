package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.sedge.api.ConfigException;
import dev.sedge.api.djl.model.GreedyDecoding;
import dev.sedge.core.Progress;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.explain.ExplainJob;
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
 * A seq2seq task end to end: {@code scan} (256 training commands, 50 test commands) on a small
 * {@code encoder-decoder} (2 + 2 layers, d 32, 4 heads, ff 64), AdamW lr 1e−3, wd 1, batches of 64,
 * 300 steps, evaluated every 150 (greedy decoding of 306 commands), every parameter snapshotted every 20
 * steps, W = 5. One run is shared by the tests that read it.
 */
class Seq2seqTrainingTests {

    private static final List<String> SCAN = List.of("seed=2", "task.name=scan", "task.train-size=256",
            "task.test-size=50", "architecture.name=encoder-decoder", "architecture.encoder-layers=2",
            "architecture.decoder-layers=2", "architecture.d-model=32", "architecture.heads=4",
            "architecture.ff=64", "optimizer.name=adamw", "optimizer.learning-rate=0.001",
            "optimizer.weight-decay=1.0", "train.steps=300", "train.batch-size=64", "train.eval-every=150",
            "train.checkpoint-every=150", "spectrum.group=all", "spectrum.window=5", "spectrum.every=20",
            "detectors=");

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path baseline;

    @BeforeAll
    static void trainBaseline() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        baseline = shared.resolve("baseline");
        Trainer.run(experiment(), baseline, TrainOptions.defaults());
    }

    private static Experiment experiment(String... overrides) {
        List<String> all = new ArrayList<>(SCAN);
        all.addAll(List.of(overrides));
        return Experiment.resolve(ConfigSource.defaults().with(all), registry);
    }

    @Test
    void trainsScanWithTeacherForcedTokenAccuracyAndGreedySequenceAccuracy() throws IOException {
        RunLayout layout = new RunLayout(baseline);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        assertTrue(manifest.provenance().plugins().containsKey("architecture/encoder-decoder"),
                manifest.provenance().plugins()::toString);
        assertTrue(Files.readString(layout.metrics()).startsWith(
                "step,train_loss,test_loss,train_acc,test_acc,train_seq_acc,test_seq_acc,learning_rate,"));
        MetricsTable metrics = MetricsCsv.read(layout.metrics());
        assertEquals(3, metrics.rows());
        for (int row = 0; row < metrics.rows(); row++) {
            for (String column : List.of("train_loss", "test_loss", "train_acc", "test_acc", "train_seq_acc",
                    "test_seq_acc", "weight_norm")) {
                double value = metrics.value(row, column);
                assertTrue(Double.isFinite(value), column + " at row " + row + " is " + value);
                if (column.endsWith("acc")) {
                    assertTrue(value >= 0 && value <= 1, column + " at row " + row + " is " + value);
                }
            }
        }
        double[] loss = metrics.column("train_loss");
        double[] accuracy = metrics.column("train_acc");
        assertTrue(loss[2] < 0.5 * loss[0], "train loss " + loss[0] + " -> " + loss[2]);
        assertTrue(accuracy[2] > accuracy[0] + 0.3, "train token accuracy " + accuracy[0] + " -> " + accuracy[2]);
        assertEquals(List.of(0L, 150L, 300L), RunLayout.steps(layout.checkpoints()));
        // 15 snapshots of every parameter, a window of 5 differences from the sixth on
        assertEquals(15 - 5 + 1, SpectrumCsv.read(layout.spectrum()).size());
    }

    /**
     * Greedy decoding is right on a row exactly when teacher forcing is right at every scored position of it
     * (each greedy step then reads the teacher's prefix), so the evaluator decodes those rows alone: its
     * sequence accuracy is that of decoding every row, up to an argmax that a float rounding turns.
     */
    @Test
    void sequenceAccuracyIsThatOfGreedilyDecodingEveryRow() {
        // 48 commands, 80 steps of 16: memorised in part, so some rows are right and some wrong
        try (TrainingSession session = TrainingSession.open(experiment("task.train-size=48", "task.test-size=1",
                "train.batch-size=16", "optimizer.learning-rate=0.003", "optimizer.weight-decay=0"))) {
            StepRunner runner = new StepRunner(session, false);
            for (long step = 1; step <= 80; step++) {
                runner.step(step, null);
            }
            double[][] metrics = new Evaluator(session).measureTrain().metrics();
            SplitArrays split = session.train;
            int length = split.targetLength();
            int[] decoded;
            try (NDManager scope = session.manager.newSubManager()) {
                decoded = GreedyDecoding.decode(session.spec.block(), session.store, scope,
                        split.tokens(0, split.size()), split.sequenceLength(), split.decoded().orElseThrow());
            }
            int right = 0;
            for (int i = 0; i < split.size(); i++) {
                boolean same = true;
                for (int t = 0; t < length; t++) {
                    same &= decoded[i * length + t] == split.target(0, i, t);
                }
                right += same ? 1 : 0;
            }
            double greedy = (double) right / split.size();
            assertTrue(greedy > 0 && greedy < 1, "some rows right and some wrong after 80 steps: " + greedy);
            System.out.println("encoder-decoder: greedy sequence accuracy of every row " + greedy + ", evaluator "
                    + metrics[3][0]);
            assertEquals(greedy, metrics[3][0], 1.0 / split.size(), "evaluator " + metrics[3][0]);
        }
    }

    @Test
    void sameSeedGivesAByteIdenticalRun(@TempDir Path work) throws IOException {
        String[] shorter = {"task.train-size=64", "task.test-size=16", "train.steps=40", "train.eval-every=20",
            "train.checkpoint-every=20", "spectrum.every=5"};
        Path first = work.resolve("first");
        Path again = work.resolve("again");
        Trainer.run(experiment(shorter), first, TrainOptions.defaults());
        Trainer.run(experiment(shorter), again, TrainOptions.defaults());
        for (long step : List.of(0L, 20L, 40L)) {
            assertEquals(-1L, Files.mismatch(new RunLayout(first).checkpoint(step),
                    new RunLayout(again).checkpoint(step)), "checkpoint " + step);
        }
        assertEquals(-1L, Files.mismatch(first.resolve("metrics.csv"), again.resolve("metrics.csv")));
        assertEquals(-1L, Files.mismatch(first.resolve("spectrum.csv"), again.resolve("spectrum.csv")));
    }

    @Test
    void aFullBatchRunDecodesItsTrainSplitAtEveryEvaluation(@TempDir Path work) throws IOException {
        Path run = work.resolve("full-batch");
        Trainer.run(experiment("task.train-size=64", "train.batch-size=0", "train.steps=10", "train.eval-every=5",
                "train.checkpoint-every=10", "spectrum.every=1"), run, TrainOptions.defaults());
        MetricsTable metrics = MetricsCsv.read(new RunLayout(run).metrics());
        assertEquals(3, metrics.rows());
        for (int row = 0; row < metrics.rows(); row++) {
            double value = metrics.value(row, "train_seq_acc");
            assertTrue(value >= 0 && value <= 1, "train_seq_acc at row " + row + " is " + value);
        }
    }

    @Test
    void aLabelTaskOnTheEncoderDecoderIsRefusedBeforeAnyFile(@TempDir Path work) {
        Experiment modAdd = Experiment.resolve(ConfigSource.defaults().with(List.of("task.name=mod-add",
                "architecture.name=encoder-decoder")), registry);
        Path run = work.resolve("mod-add");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> Trainer.run(modAdd, run, TrainOptions.defaults()));
        assertTrue(refused.getMessage().contains("architecture.encoder-decoder")
                && refused.getMessage().contains("choose architecture.name = transformer"), refused.getMessage());
        assertTrue(Files.notExists(run));
    }

    /**
     * sedge explain feeds a seq2seq model's decoder the teacher-forced inputs: its test accuracy and loss at θ
     * are the trainer's at the same step (which they could not be with the decoder fed anything else), and
     * every measurement comes out.
     */
    @Test
    void explainReadsASeq2seqRunUnderTeacherForcing() {
        ExplainJob.Result result = new ExplainJob(registry).run(new ExplainJob.Request(baseline, 300, "all",
                SpectralOptions.of(2), 2, "", List.of(), Map.of(), 1, 3), Progress.NONE);
        MetricsTable metrics = MetricsCsv.read(new RunLayout(baseline).metrics());
        int last = metrics.rows() - 1;
        assertEquals(300, metrics.step(last));
        assertEquals(metrics.value(last, "test_acc"), result.ablation().accuracy(), 1e-9);
        assertEquals(metrics.value(last, "test_loss"), result.ablation().loss(), 1e-5);
        assertEquals("residual", result.probe());
        assertEquals(306, result.directions().getFirst().mode().size());
        assertTrue(result.ablation().edge().isPresent() && result.ablation().random().size() == 3);
        double[] kl = result.directions().getFirst().curve().kl();
        assertTrue(Arrays.stream(kl).allMatch(d -> d >= 0) && Arrays.stream(kl).anyMatch(d -> d > 0),
                () -> Arrays.toString(kl));
    }
}
