package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ForkOrigin;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trainer#fork}: the parent is mlp2 (K = 64) on (a + b) mod 11, full-batch Adam with L2 2e-4, 40
 * steps, W = 5 over layer1 at every step, the eigengap-slope detector live, checkpoints every 10 steps;
 * a second parent checkpoints at every step.
 */
class ForkTests {

    private static final List<String> SMALL = TrainerTests.SMALL;

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path parent;
    private static SortedMap<Path, Long> parentFiles;

    @TempDir
    Path work;

    @BeforeAll
    static void trainParent() throws IOException {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        parent = shared.resolve("parent");
        Trainer.run(experiment(), parent, TrainOptions.defaults());
        parentFiles = fingerprint(parent);
    }

    private static Experiment experiment(String... overrides) {
        List<String> all = new ArrayList<>(SMALL);
        all.addAll(List.of(overrides));
        return Experiment.resolve(ConfigSource.defaults().with(all), registry);
    }

    /** Every regular file under {@code dir} with a content hash: what a test compares to see nothing changed. */
    private static SortedMap<Path, Long> fingerprint(Path dir) throws IOException {
        SortedMap<Path, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p), (long) java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private static void assertSameFile(Path expected, Path actual) throws IOException {
        assertEquals(-1L, Files.mismatch(expected, actual), () -> actual + " differs from " + expected);
    }

    /** The files a fork of {@code of} with nothing changed must end with as {@code of} did. */
    private static void assertEndsAs(Path of, Path fork, List<Long> steps) throws IOException {
        RunLayout a = new RunLayout(of);
        RunLayout b = new RunLayout(fork);
        for (long step : steps) {
            assertSameFile(a.checkpoint(step), b.checkpoint(step));
            assertSameFile(CheckpointFiles.state(a, step), CheckpointFiles.state(b, step));
            assertSameFile(a.decayPart(step), b.decayPart(step));
        }
        for (String file : List.of("spectrum.csv", "metrics.csv", "events.json")) {
            assertSameFile(of.resolve(file), fork.resolve(file));
        }
    }

    @Test
    void aForkWithNothingChangedEndsBitForBitAsItsParentAndLeavesTheParentAlone() throws IOException {
        Path fork = work.resolve("fork");

        TrainingResult result = Trainer.fork(parent, OptionalLong.of(30), Map.of(), fork, registry,
                TrainOptions.defaults());

        assertEquals(30, result.resumedFrom());
        assertEndsAs(parent, fork, List.of(40L));
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), new RunLayout(fork).checkpointSteps());
        RunManifest manifest = ManifestFile.read(new RunLayout(fork).manifest());
        assertEquals(new ForkOrigin(parent.toAbsolutePath().normalize().toString(), 30, new TreeMap<>(), false),
                manifest.fork().orElseThrow());
        assertEquals(2, manifest.provenance().inputs().size(), manifest.provenance().inputs()::toString);
        assertEquals(parentFiles, fingerprint(parent));
        assertTrue(ManifestFile.read(new RunLayout(parent).manifest()).fork().isEmpty());
    }

    @Test
    void aForkAtAnEarlierStepRebuildsTheLiveSpectrumFromTheParentsParameterFiles() throws IOException {
        Path dense = work.resolve("dense");
        Trainer.run(experiment("train.checkpoint-every=1"), dense, TrainOptions.defaults());
        RunLayout layout = new RunLayout(dense);
        assertFalse(Files.exists(CheckpointFiles.monitor(layout, 20)), "the parent no longer keeps step 20's monitor");
        Path fork = work.resolve("fork");

        Trainer.fork(dense, OptionalLong.of(20), Map.of(), fork, registry, TrainOptions.defaults());

        List<Long> after = new ArrayList<>();
        for (long s = 21; s <= 40; s++) {
            after.add(s);
        }
        assertEndsAs(dense, fork, after);
    }

    /**
     * At step 10 the parent keeps no monitor state and has no parameter files at steps 5 … 9: the live spectrum
     * starts again from step 10's snapshot, its first window ends W = 5 snapshots later, and from there its
     * windows are the parent's (the same snapshots, nothing changed).
     */
    @Test
    void aForkWhoseSpectrumCannotContinueStartsItAgainAtTheStep() throws IOException {
        Path fork = work.resolve("restarted");

        Trainer.fork(parent, OptionalLong.of(10), Map.of(), fork, registry, TrainOptions.defaults());

        assertTrue(ManifestFile.read(new RunLayout(fork).manifest()).fork().orElseThrow().spectrumRestarted());
        assertSameFile(new RunLayout(parent).checkpoint(40), new RunLayout(fork).checkpoint(40));
        List<WindowSpectrum> parentWindows = SpectrumCsv.read(parent.resolve("spectrum.csv"));
        List<WindowSpectrum> forkWindows = SpectrumCsv.read(fork.resolve("spectrum.csv"));
        List<Long> steps = forkWindows.stream().map(WindowSpectrum::step).toList();
        List<Long> expected = parentWindows.stream().map(WindowSpectrum::step).filter(s -> s <= 10 || s >= 15)
                .toList();
        assertEquals(expected, steps, "no window ends at steps 11 … 14");
        for (WindowSpectrum w : forkWindows) {
            WindowSpectrum theirs = parentWindows.stream().filter(p -> p.step() == w.step()).findFirst().orElseThrow();
            assertArrayEquals(theirs.sigma(), w.sigma(), "the window at step " + w.step());
        }
        assertEquals(parentFiles, fingerprint(parent));
    }

    @Test
    void aForkChangesWhatItSetsAndRecordsTheParentsValues() throws IOException {
        Path fork = work.resolve("no-decay");

        Trainer.fork(parent, OptionalLong.of(30), Map.of("optimizer.weight-decay", "0", "train.steps", "50"), fork,
                registry, TrainOptions.defaults());

        RunLayout layout = new RunLayout(fork);
        RunManifest manifest = ManifestFile.read(layout.manifest());
        assertEquals("0.0", manifest.provenance().config().get("optimizer.weight-decay"));
        assertEquals(Map.of("optimizer.weight-decay", "2.0E-4", "train.steps", "40"),
                manifest.fork().orElseThrow().changed());
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L), layout.checkpointSteps());
        for (long step : List.of(0L, 10L, 20L, 30L)) {
            assertSameFile(new RunLayout(parent).checkpoint(step), layout.checkpoint(step));
        }
        assertNotEquals(-1L, Files.mismatch(new RunLayout(parent).checkpoint(40), layout.checkpoint(40)));
        // the prefix of the history is the parent's, cut at the fork
        List<String> parentRows = Files.readAllLines(parent.resolve("metrics.csv"));
        List<String> forkRows = Files.readAllLines(fork.resolve("metrics.csv"));
        assertEquals(parentRows.subList(0, 8), forkRows.subList(0, 8)); // header, steps 0 … 30
        assertNotEquals(parentRows.get(8), forkRows.get(8));
        assertEquals(parentFiles, fingerprint(parent));
    }

    @Test
    void aForkThatCannotBeMadeIsRefusedBeforeAnythingIsWritten() {
        Path fork = work.resolve("refused");
        List<Map.Entry<Map<String, String>, String>> cases = List.of(
                Map.entry(Map.of("architecture.hidden", "32"), "cannot change [architecture.hidden]"),
                Map.entry(Map.of("optimizer.name", "sgd"), "cannot change [optimizer.name]"),
                Map.entry(Map.of("train.steps", "30"), "greater than 30"),
                Map.entry(Map.of("optimizer.no-such-key", "1"), "no-such-key"));
        for (var c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> Trainer.fork(parent, OptionalLong.of(30),
                    c.getKey(), fork, registry, TrainOptions.defaults()));
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
        }
        ConfigException noCheckpoint = assertThrows(ConfigException.class, () -> Trainer.fork(parent,
                OptionalLong.of(15), Map.of(), fork, registry, TrainOptions.defaults()));
        assertTrue(noCheckpoint.getMessage().contains("[0, 10, 20, 30, 40]"), noCheckpoint.getMessage());
        // step 10's monitor state is gone, steps 5 … 9 have no parameter file to rebuild it from, and step 10 is
        // no snapshot step of a spectrum taken every 3 steps to start it again from
        Path sparse = work.resolve("every-3");
        Trainer.run(experiment("spectrum.every=3"), sparse, TrainOptions.defaults());
        ConfigException noHistory = assertThrows(ConfigException.class, () -> Trainer.fork(sparse,
                OptionalLong.of(10), Map.of("train.steps", "50"), fork, registry, TrainOptions.defaults()));
        assertTrue(noHistory.getMessage().contains("no checkpoint at [3, 6, 9]")
                && noHistory.getMessage().contains("step 10 is no snapshot step")
                && noHistory.getMessage().contains("Fork at step 30 or 40"), noHistory.getMessage());
        assertFalse(Files.exists(fork));
    }
}
