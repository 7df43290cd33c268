package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.Progress;
import dev.sedge.core.detect.DetectJob;
import dev.sedge.core.detect.DetectorChoice;
import dev.sedge.core.explain.EdgeHistory;
import dev.sedge.core.explain.EdgeWindow;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gap-flow classifier end to end on a real run: a small causal transformer on Dyck-1 under AdamW with weight
 * decay (the Lifecycle protocol at d 32), 120 steps, a snapshot and a checkpoint every 10 steps, W = 5; then
 * {@code sedge detect -d gap-flow}, which recomputes grad% on v_1 of every window from the checkpoints.
 */
class GapFlowDetectTests {

    private static final List<String> DYCK = List.of("seed=5", "task.name=dyck1-depth", "task.test-size=200",
            "architecture.name=causal-transformer", "architecture.d-model=32", "architecture.heads=4",
            "architecture.ff=64", "optimizer.name=adamw", "optimizer.learning-rate=0.001",
            "optimizer.weight-decay=1.0", "optimizer.beta2=0.98", "train.steps=120", "train.batch-size=50",
            "train.clip=1.0", "train.eval-every=10", "spectrum.group=all", "spectrum.window=5", "spectrum.every=10",
            "detectors=");

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path run;

    @BeforeAll
    static void train() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        run = shared.resolve("every-snapshot");
        Trainer.run(experiment("train.checkpoint-every=10"), run, TrainOptions.defaults());
    }

    private static Experiment experiment(String... overrides) {
        List<String> all = new ArrayList<>(DYCK);
        all.addAll(List.of(overrides));
        return Experiment.resolve(ConfigSource.defaults().with(all), registry);
    }

    /**
     * Every window of the run has grad% on v_1, and it is the one sedge explain reports for v_1 of the same window
     * (the same updates, the same recorded weight-decay parts), so the history and explain cannot drift apart.
     */
    @Test
    void everyWindowHasTheGradientShareExplainReportsForItsFirstDirection() {
        RunLayout layout = new RunLayout(run);
        List<WindowSpectrum> windows = SpectrumCsv.read(layout.spectrum());
        NameGlob group = GroupReader.group(run, "all");
        Map<Long, Double> shares = EdgeHistory.gradientShares(layout, group, windows, CheckpointFormats.of(registry),
                Progress.NONE);

        assertEquals(windows.stream().map(WindowSpectrum::step).toList(), List.copyOf(shares.keySet()));
        for (long step : List.of(windows.getFirst().step(), 80L, 120L)) {
            ExplainJob.Result explained = new ExplainJob(registry).run(new ExplainJob.Request(run, step, "all",
                    SpectralOptions.of(5), 1, "", List.of("fourier"), Map.of(), 1, 0), Progress.NONE);
            assertEquals("recorded", explained.split().source());
            double share = explained.directions().getFirst().split().orElseThrow().gradient();
            assertEquals(share, shares.get(step), 0.0, "grad% on v_1 at step " + step);
            assertTrue(share >= 0 && share <= 1, "grad% " + share);
        }
    }

    /**
     * The group the offline analyses read is the one the live monitor read: every parameter for {@code all},
     * which overlaps the model's other groups. Recomputed from the checkpoints, a window's σ is the live one's.
     * (run.json once recorded each tensor under its first group alone, and {@code all} then meant the LayerNorms
     * and attention biases: p = 2304 of 270 349 in the Lifecycle model.)
     */
    @Test
    void theOfflineGroupIsTheLiveOneAndGivesTheLiveSpectrum() {
        RunLayout layout = new RunLayout(run);
        WindowSpectrum live = SpectrumCsv.read(layout.spectrum()).stream().filter(w -> w.step() == 80).findFirst()
                .orElseThrow();
        EdgeWindow offline = EdgeWindow.compute(layout, GroupReader.group(run, "all"), SpectralOptions.of(5), 80, 1,
                CheckpointFormats.of(registry));
        assertEquals(live.dimension(), offline.tensors().stream().mapToLong(t -> t.elementCount()).sum());
        double[] sigma = offline.sigma();
        for (int j = 0; j < sigma.length; j++) {
            assertEquals(live.sigma()[j], sigma[j], 1e-6 * live.sigma()[0], "sigma_" + (j + 1));
        }
    }

    /** The classifier's event carries the shares of the windows it read and one of the three classes. */
    @Test
    void classifiesTheTransitionFromTheSharesOfItsWindows() throws IOException {
        Map<Long, Double> shares = EdgeHistory.gradientShares(new RunLayout(run), GroupReader.group(run, "all"),
                SpectrumCsv.read(new RunLayout(run).spectrum()), CheckpointFormats.of(registry), Progress.NONE);
        DetectJob.Result result = new DetectJob(registry).run(new DetectJob.Request(run,
                List.of(DetectorChoice.parse("gap-flow", List.of("threshold=0.5", "span=3"))), "all",
                SpectralOptions.of(5)), Progress.NONE);

        DetectorSummary summary = result.summaries().getFirst();
        assertEquals(1.0, summary.statistics().get("transitioned"));
        assertEquals(shares.size(), summary.statistics().get("windows_with_share"));
        EdgeEvent event = summary.events().getFirst();
        assertTrue(List.of("functional", "mixed", "compression").contains(event.kind()), event.kind());
        long transition = event.values().get("transition_step").longValue();
        assertEquals(shares.get(transition), event.values().get("grad_share_at"), 0.0,
                "the transition window has a share, and it is the first of the span");
        List<Double> span = shares.entrySet().stream().filter(e -> e.getKey() >= transition).limit(3)
                .map(Map.Entry::getValue).sorted().toList();
        assertEquals(span.get(1), event.values().get("grad_share_after"), 0.0, "the median of the span's three");
        List<Double> turns = SpectrumCsv.read(new RunLayout(run).spectrum()).stream()
                .filter(w -> w.step() >= transition).limit(3).map(w -> w.rotationDegrees(1))
                .filter(r -> !r.isNaN()).sorted().toList();
        int n = turns.size(); // the first window has no rotation: the span may have 2
        double median = n % 2 == 1 ? turns.get(n / 2) : (turns.get(n / 2 - 1) + turns.get(n / 2)) / 2;
        assertEquals(median, event.values().get("rotation_after_deg"), 0.0,
                "v_1's median rotation over the span, as spectrum.csv has it");
        String events = Files.readString(result.events());
        assertTrue(events.contains("\"gap-flow\"") && events.contains("checkpoints/decay/step-000000120.safetensors"),
                "the entry's inputs name the checkpoints and weight-decay parts it read: " + events);
    }

    /**
     * A written detection is reused ({@link DetectJob#written}, what sedge reproduce reads instead of detecting
     * again) only for the group its grad% was computed on: the entry records the group, a detection on another
     * group replaces it, and an entry without a group (written before entries recorded one) is not reused.
     */
    @Test
    void reusesAWrittenClassificationOnlyForTheGroupItWasComputedOn(@TempDir Path work) throws IOException {
        Path copy = work.resolve("run");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(run.relativize(f).toString()));
            }
        }
        DetectJob job = new DetectJob(registry);
        DetectJob.Request own = new DetectJob.Request(copy, List.of(DetectorChoice.of("gap-flow")), "all",
                SpectralOptions.of(5));
        DetectJob.Request every = new DetectJob.Request(copy, List.of(DetectorChoice.of("gap-flow")), "*",
                SpectralOptions.of(5));
        assertEquals(Optional.empty(), job.written(own));

        DetectorSummary onOwn = job.run(own, Progress.NONE).summaries().getFirst();
        Path events = new RunLayout(copy).events();
        assertEquals("all", EventsFile.readEntries(events).getFirst().group());
        assertEquals(Optional.of(onOwn), job.written(own));
        assertEquals(Optional.empty(), job.written(every));

        DetectorSummary onEvery = job.run(every, Progress.NONE).summaries().getFirst();
        assertEquals(Optional.empty(), job.written(own), "replaced by the detection on '*'");
        assertEquals(Optional.of(onEvery), job.written(every));

        EventsFile.writeEntries(events, EventsFile.readEntries(events).stream().map(e -> e.withGroup("")).toList());
        assertFalse(Files.readString(events).contains("\"group\""));
        assertEquals(Optional.empty(), job.written(every), "an entry that does not say its group is not reused");
    }

    /** A run that checkpointed less often than it snapshotted has no window to split: a clear error, nothing written. */
    @Test
    void refusesARunWhoseWindowsHaveNoCheckpointsSayingWhatToTrainWith(@TempDir Path work) throws IOException {
        Path sparse = work.resolve("sparse");
        Trainer.run(experiment("train.checkpoint-every=60", "train.steps=60"), sparse, TrainOptions.defaults());
        byte[] events = Files.readAllBytes(new RunLayout(sparse).events());

        DataFormatException e = assertThrows(DataFormatException.class, () -> new DetectJob(registry).run(
                new DetectJob.Request(sparse, List.of(DetectorChoice.of("gap-flow")), "all", SpectralOptions.of(5)),
                Progress.NONE));
        assertTrue(e.getMessage().contains("gap-flow") && e.getMessage().contains("train.checkpoint-every"),
                e.getMessage());
        assertArrayEquals(events, Files.readAllBytes(new RunLayout(sparse).events()), "events.json left as it was");
    }

    /** The live monitor cannot split a window: a training config naming the classifier is refused up front. */
    @Test
    void refusesTheClassifierAsALiveDetector() {
        ConfigException e = assertThrows(ConfigException.class, () -> experiment("detectors=gap-flow"));
        assertTrue(e.getMessage().contains("sedge detect RUN -d gap-flow"), e.getMessage());
    }
}
