package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.sedge.api.ConfigException;
import dev.sedge.api.NumericException;
import dev.sedge.api.PluginException;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.Progress;
import dev.sedge.core.detect.DetectJob;
import dev.sedge.core.detect.DetectorChoice;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.io.WriteFailure;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.core.trajectory.StepFile;
import dev.sedge.spectral.SnapshotDifferencer;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer end to end on real plugins and PyTorch: mlp2 (K = 64) on (a + b) mod 11, 60 of the 121
 * pairs for training, full-batch Adam, 40 steps, a window of W = 5 over layer1 at every step, the
 * eigengap-slope detector live, checkpoints every 10 steps. One uninterrupted run is shared by the
 * tests that compare against it.
 */
class TrainerTests {

    /** The small experiment; {@link ForkTests}' parent too. */
    static final List<String> SMALL = List.of("seed=1", "task.name=mod-add", "task.p=11", "task.train-size=60",
            "architecture.name=mlp2", "architecture.hidden=64", "optimizer.name=adam",
            "optimizer.learning-rate=0.01", "optimizer.weight-decay=0.0002", "train.steps=40", "train.batch-size=0",
            "train.eval-every=5", "train.checkpoint-every=10", "spectrum.group=layer1", "spectrum.window=5",
            "spectrum.every=1", "detectors=eigengap-slope", "detector.eigengap-slope.lag=5",
            "detector.eigengap-slope.min-step=10", "detector.eigengap-slope.late-from=20",
            "detector.eigengap-slope.late-to=40");

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path baseline;
    private static TrainingResult baselineResult;

    @TempDir
    Path work;

    @BeforeAll
    static void trainBaseline() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        baseline = shared.resolve("baseline");
        baselineResult = Trainer.run(experiment(), baseline, TrainOptions.defaults().withMetricsEvery(1));
    }

    private static Experiment experiment(String... overrides) {
        List<String> all = new ArrayList<>(SMALL);
        all.addAll(List.of(overrides));
        return Experiment.resolve(ConfigSource.defaults().with(all), registry);
    }

    @Test
    void smallRunLeavesAValidRunDirectory() throws IOException {
        RunLayout layout = new RunLayout(baseline);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        assertEquals(Trainer.KIND, manifest.kind());
        assertEquals(1L, manifest.provenance().seed());
        assertTrue(manifest.provenance().plugins().containsKey("architecture/mlp2"), manifest.provenance().plugins()::toString);
        assertEquals("64", manifest.provenance().config().get("architecture.hidden"));
        // every group of each tensor: mlp2's all overlaps layer1 and layer2
        assertEquals(List.of(new LayoutEntry("layer1.weight", List.of(22L, 64L), dev.sedge.api.checkpoint.DType.F32,
                List.of("layer1", "all")), new LayoutEntry("layer2.weight", List.of(64L, 11L),
                dev.sedge.api.checkpoint.DType.F32, List.of("layer2", "all"))), manifest.layout());

        assertTrue(Files.readString(layout.metrics()).startsWith("step,train_loss,test_loss,train_acc,test_acc,"));
        MetricsTable metrics = MetricsCsv.read(layout.metrics());
        assertArrayEquals(new long[] {0, 5, 10, 15, 20, 25, 30, 35, 40}, steps(metrics));
        double[] trainLoss = metrics.column("train_loss");
        assertTrue(trainLoss[8] < 0.5 * trainLoss[0], "train loss " + trainLoss[0] + " -> " + trainLoss[8]);

        assertEquals(40 - 5 + 1, SpectrumCsv.read(layout.spectrum()).size());
        assertEquals(36, baselineResult.windows());
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), RunLayout.steps(layout.checkpoints()));
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), RunLayout.steps(layout.checkpoints().resolve("state")));
        assertEquals(List.of(30L, 40L), RunLayout.steps(layout.checkpoints().resolve("monitor")));
        // sedge spectrum lists checkpoints/ without descending: it sees the parameter files only
        List<StepFile> series = StepFile.list(layout.checkpoints(), new CheckpointFormats(List.of(new SafetensorsFormat())));
        assertEquals(5, series.size());

        List<DetectorSummary> events = EventsFile.read(layout.events());
        assertEquals("eigengap-slope", events.getFirst().detector());
        assertEquals(baselineResult.detectors().getFirst().statistics().keySet(), events.getFirst().statistics().keySet());
        assertEquals(40, baselineResult.steps());
        assertEquals(metrics.value(8, "test_acc"), baselineResult.finalMetrics().get("test_acc"));
    }

    @Test
    void sameSeedGivesByteIdenticalCheckpointsAndAnotherSeedDoesNot() throws IOException {
        Path again = work.resolve("again");
        Trainer.run(experiment(), again, TrainOptions.defaults());
        for (long step : List.of(0L, 10L, 20L, 30L, 40L)) {
            assertSameFile(new RunLayout(baseline).checkpoint(step), new RunLayout(again).checkpoint(step));
            assertSameFile(CheckpointFiles.state(new RunLayout(baseline), step),
                    CheckpointFiles.state(new RunLayout(again), step));
        }
        assertSameFile(baseline.resolve("spectrum.csv"), again.resolve("spectrum.csv"));
        assertSameFile(baseline.resolve("metrics.csv"), again.resolve("metrics.csv"));

        Path other = work.resolve("other");
        Trainer.run(experiment("seed=2"), other, TrainOptions.defaults());
        assertNotEquals(-1L, Files.mismatch(new RunLayout(baseline).checkpoint(40), new RunLayout(other).checkpoint(40)));
    }

    /**
     * The garbage collector's timing is not part of a run: a transformer (whose attention scales its scores
     * by a constant) trained while another thread forces collections ends bit-identical to an undisturbed
     * run. Before constants in a forward pass were engine arrays ({@code EngineScalar}), a collection between
     * a step's forward and backward passes freed the memory the backward pass read the scale from.
     */
    @Test
    void aRunIsTheSameWhenTheGarbageCollectorRunsDuringItsSteps() throws Exception {
        Experiment transformer = Experiment.resolve(ConfigSource.defaults().with(List.of("seed=1", "task.name=mod-add",
                "task.p=11", "task.train-size=60", "architecture.name=transformer", "architecture.d-model=16",
                "architecture.heads=2", "architecture.ff=32", "architecture.layers=1", "optimizer.name=adamw",
                "optimizer.learning-rate=0.01", "train.steps=20", "train.batch-size=16", "train.eval-every=10",
                "train.checkpoint-every=10", "spectrum.group=attn", "spectrum.window=5", "detectors=")), registry);
        Path quiet = work.resolve("quiet");
        Trainer.run(transformer, quiet, TrainOptions.defaults());

        Path collected = work.resolve("collected");
        Thread collector = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                Thread.onSpinWait();
            }
        });
        try {
            Trainer.run(transformer, collected, TrainOptions.defaults());
        } finally {
            collector.interrupt();
            collector.join();
        }
        for (long step : List.of(10L, 20L)) {
            assertSameFile(new RunLayout(quiet).checkpoint(step), new RunLayout(collected).checkpoint(step));
        }
    }

    @Test
    void aFullBatchStepMeasuresTheTrainSplitAsAnEvaluationOfItsOwnWould() throws IOException {
        // With a checkpoint at every evaluation, no evaluation borrows the next step's forward pass.
        Path direct = work.resolve("direct");
        Trainer.run(experiment("train.checkpoint-every=5"), direct, TrainOptions.defaults());

        // the 60 train pairs are one chunk either way, so the values agree bit for bit, not just to rounding
        assertSameFile(baseline.resolve("metrics.csv"), direct.resolve("metrics.csv"));
        assertSameFile(baseline.resolve("spectrum.csv"), direct.resolve("spectrum.csv"));
        for (long step : List.of(10L, 20L, 30L, 40L)) {
            assertSameFile(new RunLayout(baseline).checkpoint(step), new RunLayout(direct).checkpoint(step));
        }
    }

    /** Stops the run at a step, as a kill would, by throwing from a listener. */
    private static final class Kill extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Kill(long step) {
            super("killed at step " + step);
        }
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        Path killed = work.resolve("killed");
        TrainOptions killAt27 = TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onStep(StepResult result) {
                if (result.step() == 27) {
                    throw new Kill(27);
                }
            }
        });
        assertThrows(Kill.class, () -> Trainer.run(experiment(), killed, killAt27));
        RunLayout layout = new RunLayout(killed);
        assertFalse(Files.exists(layout.checkpoint(30)));
        assertEquals(List.of(10L, 20L), RunLayout.steps(layout.checkpoints().resolve("monitor")));

        TrainingResult resumed = Trainer.resume(killed, registry, TrainOptions.defaults());

        assertEquals(20, resumed.resumedFrom());
        for (long step : List.of(30L, 40L)) {
            assertSameFile(new RunLayout(baseline).checkpoint(step), layout.checkpoint(step));
            assertSameFile(CheckpointFiles.state(new RunLayout(baseline), step), CheckpointFiles.state(layout, step));
        }
        assertSameFile(baseline.resolve("spectrum.csv"), killed.resolve("spectrum.csv"));
        assertSameFile(baseline.resolve("metrics.csv"), killed.resolve("metrics.csv"));
        assertSameFile(baseline.resolve("events.json"), killed.resolve("events.json"));
        assertEquals(baselineResult.finalMetrics(), resumed.finalMetrics());
        assertEquals(baselineResult.windows(), resumed.windows());
    }

    @Test
    void aFinishedRunExtendedIsBitIdenticalToALongerRun() throws IOException {
        Path longer = work.resolve("longer");
        TrainingResult longerResult = Trainer.run(experiment("train.steps=60"), longer, TrainOptions.defaults());
        Path extended = work.resolve("extended");
        copyTree(baseline, extended);
        ConfigException finished = assertThrows(ConfigException.class,
                () -> Trainer.resume(extended, registry, TrainOptions.defaults()));
        assertTrue(finished.getMessage().contains("already finished") && finished.getMessage().contains("train.steps=N"),
                finished.getMessage());
        ConfigException shorter = assertThrows(ConfigException.class,
                () -> Trainer.resume(extended, OptionalLong.of(40), registry, TrainOptions.defaults()));
        assertTrue(shorter.getMessage().contains("greater than 40"), shorter.getMessage());

        TrainingResult result = Trainer.resume(extended, OptionalLong.of(60), registry, TrainOptions.defaults());

        assertEquals(40, result.resumedFrom());
        assertEquals(60, result.steps());
        RunLayout layout = new RunLayout(extended);
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L, 60L), RunLayout.steps(layout.checkpoints()));
        for (long step : List.of(50L, 60L)) {
            assertSameFile(new RunLayout(longer).checkpoint(step), layout.checkpoint(step));
            assertSameFile(CheckpointFiles.state(new RunLayout(longer), step), CheckpointFiles.state(layout, step));
        }
        for (String file : List.of("spectrum.csv", "metrics.csv", "events.json")) {
            assertSameFile(longer.resolve(file), extended.resolve(file));
        }
        assertEquals("60", ManifestFile.read(layout.manifest()).provenance().config().get("train.steps"));
        assertEquals(ManifestFile.read(new RunLayout(longer).manifest()).provenance().config(),
                ManifestFile.read(layout.manifest()).provenance().config());
        assertEquals(longerResult.finalMetrics(), result.finalMetrics());
    }

    /** The files a run ends with that must equal the uninterrupted run's, bit for bit. */
    private static void assertSameAsBaseline(Path run) throws IOException {
        RunLayout layout = new RunLayout(run);
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), layout.checkpointSteps());
        for (long step : layout.checkpointSteps()) {
            assertSameFile(new RunLayout(baseline).checkpoint(step), layout.checkpoint(step));
            assertSameFile(CheckpointFiles.state(new RunLayout(baseline), step), CheckpointFiles.state(layout, step));
            assertSameFile(new RunLayout(baseline).decayPart(step), layout.decayPart(step));
        }
        for (String file : List.of("spectrum.csv", "metrics.csv", "events.json")) {
            assertSameFile(baseline.resolve(file), run.resolve(file));
        }
    }

    /** A temporary file as a write killed in {@code folder} leaves it, of a process that has ended. */
    private static Path leftover(Path folder, String target) throws IOException, InterruptedException {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return Files.writeString(Files.createDirectories(folder).resolve("." + target + "." + ended.pid() + ".5eed.tmp"),
                "half");
    }

    @Test
    void theLastParameterFileIsWrittenAfterEveryOtherSoARunStoppedWhileFinishingResumesFromTheCheckpointBefore()
            throws IOException, InterruptedException {
        Path stopped = work.resolve("stopped");
        TrainOptions failsAtTheEnd = TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onFinish(RunEnd end) {
                throw new Kill(end.lastStep());
            }
        });
        assertThrows(Kill.class, () -> Trainer.run(experiment(), stopped, failsAtTheEnd));
        RunLayout layout = new RunLayout(stopped);
        assertFalse(Files.exists(layout.checkpoint(40)), "the run is not done until every file is");
        assertTrue(Files.exists(CheckpointFiles.state(layout, 40)));
        Path spectrumLeftover = leftover(stopped, "spectrum.csv");
        Path stateLeftover = leftover(layout.checkpoints().resolve("state"), "step-000000040.safetensors");

        TrainingResult resumed = Trainer.resume(stopped, registry, TrainOptions.defaults());

        assertEquals(30, resumed.resumedFrom());
        assertSameAsBaseline(stopped);
        assertFalse(Files.exists(spectrumLeftover) || Files.exists(stateLeftover), "the killed writes' leftovers are gone");
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointIsResumedFromStepZero() throws IOException {
        Path stopped = work.resolve("before-first");
        TrainOptions failsAtCheckpointZero = TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onCheckpoint(CheckpointState checkpoint) {
                throw new Kill(checkpoint.step()); // before the checkpointer, the last listener
            }
        });
        assertThrows(Kill.class, () -> Trainer.run(experiment(), stopped, failsAtCheckpointZero));
        assertEquals(List.of(), new RunLayout(stopped).checkpointSteps());
        assertTrue(RunLayout.isRun(stopped));

        TrainingResult again = Trainer.resume(stopped, registry, TrainOptions.defaults());

        assertEquals(-1, again.resumedFrom(), "trained from the start");
        assertSameAsBaseline(stopped);
    }

    @Test
    void trainsIntoAFolderThatARunKilledBeforeItsManifestLeft() throws IOException, InterruptedException {
        Path left = Files.createDirectories(work.resolve("left"));
        Files.writeString(left.resolve(".lock"), "sedge train (pid 1, since then)\n");
        Path half = leftover(left, "run.json");

        Trainer.run(experiment(), left, TrainOptions.defaults());

        assertFalse(Files.exists(half));
        assertSameAsBaseline(left);
    }

    @Test
    void aFileThatCannotBeWrittenStopsTheRunSayingWhatItKeepsAndHowToContinue() throws IOException {
        Path blocked = work.resolve("blocked");
        TrainOptions blocksTheSpectrum = TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onStart(RunStart start) {
                try { // a folder where spectrum.csv goes: its rename at checkpoint 0 fails
                    Files.createDirectories(start.layout().spectrum().resolve("in-the-way"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        WriteFailure e = assertThrows(WriteFailure.class, () -> Trainer.run(experiment(), blocked, blocksTheSpectrum));

        assertTrue(e.getMessage().startsWith("cannot write spectrum " + blocked.toAbsolutePath().resolve("spectrum.csv")),
                e.getMessage());
        assertTrue(e.getMessage().contains("keeps every file whole, up to its configuration (no checkpoint yet")
                && e.getMessage().endsWith("then continue the run with: sedge train --resume " + blocked), e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void progressShowsEachStepWithItsOwnEvaluationNotThePreviousOne() throws IOException {
        List<String> details = new ArrayList<>();
        TrainingResult result = Trainer.run(experiment(), work.resolve("progress"),
                TrainOptions.defaults().withProgress((done, total, detail) -> details.add(done + "|" + detail)));
        MetricsTable metrics = MetricsCsv.read(new RunLayout(work.resolve("progress")).metrics());
        int row10 = java.util.Arrays.binarySearch(steps(metrics), 10);
        String step10 = details.stream().filter(d -> d.startsWith("10|")).findFirst().orElseThrow();
        assertTrue(step10.contains(String.format(java.util.Locale.ROOT, "test_acc %.3f", metrics.value(row10, "test_acc")))
                && !step10.contains("(at step"), step10);
        String step11 = details.stream().filter(d -> d.startsWith("11|")).findFirst().orElseThrow();
        assertTrue(step11.contains("(at step 10)"), step11);
        assertEquals(40, result.steps());
    }

    @Test
    void nanLossStopsTheRunWithAClearMessageAndLeavesEveryFileWhole() {
        Path run = work.resolve("nan");
        NumericException e = assertThrows(NumericException.class, () -> Trainer.run(
                experiment("optimizer.learning-rate=1e30"), run, TrainOptions.defaults()));

        assertTrue(e.getMessage().contains("step"), e.getMessage());
        assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
        RunLayout layout = new RunLayout(run);
        assertEquals(Trainer.KIND, ManifestFile.read(layout.manifest()).kind());
        MetricsTable metrics = MetricsCsv.read(layout.metrics());
        assertEquals(0L, metrics.step(0));
        SpectrumCsv.read(layout.spectrum());
        EventsFile.read(layout.events());
        assertTrue(Files.exists(layout.checkpoint(0)));

        // without the live monitor the loss itself is the first to go
        Path unwatched = work.resolve("nan-unwatched");
        NumericException loss = assertThrows(NumericException.class, () -> Trainer.run(
                experiment("optimizer.learning-rate=1e30"), unwatched, TrainOptions.defaults().withLiveSpectrum(false)));
        assertTrue(loss.getMessage().contains("training loss is"), loss.getMessage());
        assertTrue(loss.getMessage().contains("learning-rate"), loss.getMessage());
        assertTrue(MetricsCsv.read(new RunLayout(unwatched).metrics()).rows() >= 1);
    }

    @Test
    void liveWindowsAreThoseOfOneUpdateAtATimeBitForBitThoughTheMonitorBatchesSnapshots() {
        List<float[]> thetas = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<WindowSpectrum> announced = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onSnapshot(Snapshot snapshot) {
                thetas.add(snapshot.theta().clone()); // lent: the next snapshot overwrites it
                steps.add(snapshot.step());
                rates.add(snapshot.learningRate());
            }

            @Override
            public void onWindow(WindowSpectrum window, List<EdgeEvent> events) {
                announced.add(window);
            }
        };
        // 29 snapshots: more than a batch of the monitor's, and not a multiple of one
        Experiment experiment = experiment("train.steps=28", "train.checkpoint-every=0");
        Path run = work.resolve("batched");
        Trainer.run(experiment, run, TrainOptions.defaults().withListener(recorder));

        SpectralOptions options = TrainingSession.spectralOptions(experiment.spectrum());
        SpectralEngine engine = new SpectralEngine(options, thetas.getFirst().length);
        SnapshotDifferencer differencer = new SnapshotDifferencer(thetas.getFirst().length);
        List<WindowSpectrum> expected = new ArrayList<>();
        for (int k = 0; k < thetas.size(); k++) {
            long step = steps.get(k);
            double rate = rates.get(k);
            differencer.accept(step, thetas.get(k)).flatMap(update -> engine.accept(step, update, rate))
                    .ifPresent(expected::add);
        }
        assertTrue(SpectralMonitor.MOST_PENDING < thetas.size() && thetas.size() % SpectralMonitor.MOST_PENDING != 0);
        assertEquals(28 - 5 + 1, expected.size());
        assertEquals(expected, announced, "the listeners get every window, in step order");
        assertEquals(expected, SpectrumCsv.read(new RunLayout(run).spectrum()));
    }

    @Test
    void aSequenceTaskOnALabelArchitectureOrASeq2seqTaskOnATaggerIsRefusedAsAConfigurationErrorBeforeAnyFile() {
        Experiment dyck = Experiment.resolve(ConfigSource.defaults().with(List.of("task.name=dyck1-depth",
                "architecture.name=transformer", "spectrum.group=attn")), registry);
        Path run = work.resolve("dyck");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> Trainer.run(dyck, run, TrainOptions.defaults()));
        assertTrue(refused.getMessage().contains("architecture.transformer")
                && refused.getMessage().contains("causal-transformer"), refused.getMessage());
        assertFalse(Files.exists(run));

        Experiment scan = Experiment.resolve(ConfigSource.defaults().with(List.of("task.name=scan",
                "architecture.name=causal-transformer", "spectrum.group=attn")), registry);
        Path scanRun = work.resolve("scan");
        refused = assertThrows(ConfigException.class, () -> Trainer.run(scan, scanRun, TrainOptions.defaults()));
        assertTrue(refused.getMessage().contains("architecture.causal-transformer")
                && refused.getMessage().contains("architecture.name = encoder-decoder"), refused.getMessage());
        assertFalse(Files.exists(scanRun));
    }

    /**
     * Plain SGD makes Δθ = −η·g, so one step's change shows the gradient the trainer gathered from every
     * parameter: its global L2 norm must be the reported one, and a clip must scale all of it by
     * clip / (norm + 1e-6), as {@code clip_grad_norm_} does.
     */
    @Test
    void gradientNormCoversEveryParameterAndTheClipScalesTheWholeStep() {
        double eta = 1;
        String[] sgd = {"optimizer.name=sgd", "optimizer.learning-rate=" + eta, "optimizer.weight-decay=0", "train.steps=1",
            "train.checkpoint-every=1", "spectrum.window=2"};
        List<StepResult> free = new ArrayList<>();
        double[][] freeChange = oneStepChange(experiment(concat(sgd, "train.clip=0")), work.resolve("free"), free);
        double norm = free.getFirst().gradientNorm();
        assertFalse(free.getFirst().clipped());
        assertEquals(norm, l2(freeChange[0]) / eta, 1e-3 * norm, "the reported norm is that of every parameter's gradient");

        double clip = norm / 4;
        List<StepResult> clipped = new ArrayList<>();
        double[][] clippedChange = oneStepChange(experiment(concat(sgd, "train.clip=" + clip)), work.resolve("clipped"),
                clipped);
        assertTrue(clipped.getFirst().clipped());
        assertEquals(norm, clipped.getFirst().gradientNorm(), 1e-6 * norm, "the norm is taken before clipping");
        double scale = clip / (norm + 1e-6);
        for (int i = 0; i < freeChange[0].length; i++) {
            // each change is a difference of two floats: it is known to within their two half-ulps
            double resolution = clippedChange[1][i] + scale * freeChange[1][i];
            assertEquals(scale * freeChange[0][i], clippedChange[0][i], resolution + 1e-6 * Math.abs(clippedChange[0][i]),
                    "coordinate " + i + " of the clipped step");
        }
    }

    /**
     * θ after the run's one step minus θ before it, every parameter end to end, and what that difference
     * is known to: half an ulp of each of the two floats. Records the step's result.
     *
     * @return the change, then the resolution, per coordinate
     */
    private static double[][] oneStepChange(Experiment experiment, Path run, List<StepResult> steps) {
        List<CheckpointState> checkpoints = new ArrayList<>();
        Trainer.run(experiment, run, TrainOptions.defaults().withListener(new TrainingListener() {
            @Override
            public void onStep(StepResult result) {
                steps.add(result);
            }

            @Override
            public void onCheckpoint(CheckpointState checkpoint) {
                checkpoints.add(checkpoint);
            }
        }));
        assertEquals(2, checkpoints.size());
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < checkpoints.get(0).parameters().size(); t++) {
            float[] before = checkpoints.get(0).parameters().get(t).floats();
            float[] after = checkpoints.get(1).parameters().get(t).floats();
            for (int i = 0; i < before.length; i++) {
                out.add(new double[] {(double) after[i] - before[i], (Math.ulp(after[i]) + Math.ulp(before[i])) / 2});
            }
        }
        return new double[][] {out.stream().mapToDouble(c -> c[0]).toArray(), out.stream().mapToDouble(c -> c[1]).toArray()};
    }

    private static double l2(double[] values) {
        double squares = 0;
        for (double v : values) {
            squares += v * v;
        }
        return Math.sqrt(squares);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void adamWithoutWeightDecayRecordsAZeroDecayPart() {
        List<float[]> decays = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onSnapshot(Snapshot snapshot) {
                decays.add(snapshot.decay().clone());
            }
        };
        Trainer.run(experiment("optimizer.weight-decay=0", "train.steps=6"), work.resolve("no-decay"),
                TrainOptions.defaults().withListener(recorder));
        assertEquals(7, decays.size());
        for (float[] decay : decays) {
            assertArrayEquals(new float[decay.length], decay, 0f);
        }

        decays.clear();
        Trainer.run(experiment("optimizer.weight-decay=0.01", "train.steps=6"), work.resolve("decay"),
                TrainOptions.defaults().withListener(recorder));
        float largest = 0;
        for (float v : decays.getLast()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0, "with weight decay 0.01 the decay part must not be zero");
    }

    @Test
    void aSpectrumGroupMatchingNothingIsAConfigErrorBeforeAnyFileIsWritten() {
        Path run = work.resolve("never");
        ConfigException e = assertThrows(ConfigException.class, () -> Trainer.run(
                experiment("spectrum.group=attn.*"), run, TrainOptions.defaults()));

        assertTrue(e.getMessage().contains("attn.*"), e.getMessage());
        assertTrue(e.getMessage().contains("layer1 (layer1.*)"), e.getMessage());
        assertTrue(e.getMessage().contains("layer2.weight"), e.getMessage());
        assertFalse(Files.exists(run));
    }

    @Test
    void planCountsWhatTheRunWillWriteWithoutWritingAnything() {
        TrainingPlan plan = Trainer.plan(experiment());

        assertEquals(60, plan.trainExamples());
        assertEquals(61, plan.testExamples());
        assertEquals(List.of("layer1.weight"), plan.group().names());
        assertEquals(22 * 64, plan.group().dimension());
        assertEquals(36, plan.windows());
        assertEquals(5, plan.checkpoints());
        assertEquals(9, plan.evaluations());
        assertEquals(22 * 64 + 64 * 11, plan.parameterCount());
    }

    @Test
    void liveSpectrumMatchesSedgeSpectrumOverTheSameCheckpoints() {
        Path run = work.resolve("every-step");
        Trainer.run(experiment("train.steps=12", "train.checkpoint-every=1"), run, TrainOptions.defaults());
        Path offline = work.resolve("offline.csv");
        new SpectrumJob(new CheckpointFormats(List.of(new SafetensorsFormat()))).run(new SpectrumJob.Request(run,
                "layer1", TrainingSession.spectralOptions(experiment().spectrum()), offline), Progress.NONE);

        List<WindowSpectrum> live = SpectrumCsv.read(run.resolve("spectrum.csv"));
        List<WindowSpectrum> stored = SpectrumCsv.read(offline);
        assertEquals(8, live.size());
        assertEquals(live.size(), stored.size());
        for (int i = 0; i < live.size(); i++) {
            assertArrayEquals(stored.get(i).sigma(), live.get(i).sigma(), 0.0, "window " + i);
            assertArrayEquals(stored.get(i).rotationDegrees(), live.get(i).rotationDegrees(), 0.0, "window " + i);
        }
    }

    /** A detector with a bug: it throws at the window of step 10. */
    record Explodes() implements EdgeDetector {
        public String name() {
            return "explodes";
        }

        public dev.sedge.api.PluginDescriptor descriptor() {
            return dev.sedge.api.PluginDescriptor.of("throws at step 10");
        }

        public DetectorRun open(dev.sedge.api.PluginConfig config) {
            return new DetectorRun() {
                public List<EdgeEvent> accept(dev.sedge.api.detect.SpectralWindow window) {
                    if (window.step() == 10) {
                        throw new IllegalStateException("boom");
                    }
                    return List.of();
                }

                public DetectorSummary finish() {
                    return new DetectorSummary("explodes", List.of(), java.util.Map.of());
                }
            };
        }
    }

    @Test
    void aDetectorThatThrowsFailsAlikeLiveAndInSedgeDetect() {
        List<dev.sedge.api.Plugin> plugins = new ArrayList<>(registry.entries().stream().map(e -> e.plugin()).toList());
        plugins.add(new Explodes());
        PluginRegistry withBug = PluginRegistry.of(plugins);
        Experiment experiment = Experiment.resolve(ConfigSource.defaults().with(SMALL).with(List.of("detectors=explodes")),
                withBug);

        PluginException live = assertThrows(PluginException.class,
                () -> Trainer.run(experiment, work.resolve("explodes"), TrainOptions.defaults()));
        PluginException offline = assertThrows(PluginException.class, () -> new DetectJob(withBug).run(
                DetectJob.Request.of(baseline, List.of(DetectorChoice.of("explodes"))), Progress.NONE));

        assertEquals(live.getMessage(), offline.getMessage());
        assertTrue(live.getMessage().startsWith("detector 'explodes' at the window of step 10 failed: "
                + "IllegalStateException: boom"), live.getMessage());
    }

    /** A detector with a worse bug: at the window of step 10 it never returns. */
    record Stalls() implements EdgeDetector {
        public String name() {
            return "stalls";
        }

        public dev.sedge.api.PluginDescriptor descriptor() {
            return dev.sedge.api.PluginDescriptor.of("blocks at step 10");
        }

        public DetectorRun open(dev.sedge.api.PluginConfig config) {
            return new DetectorRun() {
                public List<EdgeEvent> accept(dev.sedge.api.detect.SpectralWindow window) {
                    while (window.step() == 10 && !Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                    return List.of();
                }

                public DetectorSummary finish() {
                    return new DetectorSummary("stalls", List.of(), java.util.Map.of());
                }
            };
        }
    }

    @Test
    void aDetectorThatNeverReturnsIsGivenUpAndTheRunStaysReadable() {
        List<dev.sedge.api.Plugin> plugins = new ArrayList<>(registry.entries().stream().map(e -> e.plugin()).toList());
        plugins.add(new Stalls());
        Experiment experiment = Experiment.resolve(ConfigSource.defaults().with(SMALL).with(List.of("detectors=stalls")),
                PluginRegistry.of(plugins));
        Path run = work.resolve("stalls");
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "2");
        PluginException e;
        try {
            e = assertThrows(PluginException.class, () -> Trainer.run(experiment, run, TrainOptions.defaults()));
        } finally {
            System.clearProperty(PluginCall.TIME_LIMIT_PROPERTY);
        }
        assertTrue(e.getMessage().startsWith("detector 'stalls' at the window of step 10 did not return within 2 s"),
                e.getMessage());
        assertTrue(MetricsCsv.read(run.resolve("metrics.csv")).rows() > 0, "metrics.csv is whole");
        ManifestFile.read(run.resolve("run.json"));
    }

    @Test
    void liveDetectorsAgreeWithSedgeDetectOverTheStoredRun() {
        Path run = work.resolve("live-detect");
        TrainingResult live = Trainer.run(experiment("detectors=eigengap-slope,bbp"), run, TrainOptions.defaults());
        DetectJob.Result offline = new DetectJob(registry).run(DetectJob.Request.of(run,
                List.of(DetectorChoice.parse("eigengap-slope", List.of("lag=5", "min-step=10", "late-from=20",
                        "late-to=40")), DetectorChoice.of("bbp"))), Progress.NONE);

        assertEquals(2, live.detectors().size());
        assertEquals(live.detectors(), offline.summaries(), "the live monitor and sedge detect feed detectors alike");
        assertTrue(live.detectors().get(1).statistics().containsKey("final_count"), "bbp saw p live");
    }

    @Test
    void evaluationRunsWithAutogradOffOnTheTrainingThread() {
        assertTrue(GradMode.off(Engine.getInstance()), "the PyTorch engine's grad mode switch was not found");
    }

    @Test
    void aNonEmptyRunDirectoryIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Trainer.run(experiment(), baseline, TrainOptions.defaults()));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
    }

    private static long[] steps(MetricsTable metrics) {
        long[] out = new long[metrics.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = metrics.step(i);
        }
        return out;
    }

    private static void assertSameFile(Path expected, Path actual) throws IOException {
        assertEquals(-1L, Files.mismatch(expected, actual), () -> actual + " differs from " + expected);
    }
}
