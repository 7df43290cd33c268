package dev.sedge.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.PluginException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectJobTests {

    private static final int P = 50;

    /** The built-in plugins (the detectors and safetensors among them). */
    private static PluginRegistry builtIn;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadRegistry(@TempDir Path empty) {
        builtIn = PluginRegistry.load(empty.resolve("no-plugins"));
    }

    /** Records every window it sees; fires "seen" at step 20; takes one key, level (must be >= 0). */
    record Recorder(String name, List<SpectralWindow> seen) implements EdgeDetector {
        @Override
        public PluginDescriptor descriptor() {
            return PluginDescriptor.of("records windows", ConfigKey.ofDouble("level", 1.0, "a level, >= 0"));
        }

        @Override
        public DetectorRun open(PluginConfig config) {
            double level = config.doubleValue("level");
            if (level < 0) {
                throw new IllegalArgumentException("level must be >= 0, found " + level);
            }
            List<EdgeEvent> events = new ArrayList<>();
            return new DetectorRun() {
                @Override
                public List<EdgeEvent> accept(SpectralWindow window) {
                    seen.add(window);
                    if (window.step() == 20) {
                        events.add(new EdgeEvent(name, 20, "seen", "saw step 20", Map.of("level", level)));
                        return List.copyOf(events);
                    }
                    return List.of();
                }

                @Override
                public DetectorSummary finish() {
                    return new DetectorSummary(name, events, Map.of("windows", (double) seen.size()));
                }
            };
        }
    }

    /** A {@link Recorder} that also names host metrics it reads. */
    record Asking(Recorder recorder, Set<String> metrics) implements EdgeDetector {
        @Override
        public String name() {
            return recorder.name();
        }

        @Override
        public PluginDescriptor descriptor() {
            return recorder.descriptor();
        }

        @Override
        public DetectorRun open(PluginConfig config) {
            return recorder.open(config);
        }

        @Override
        public Set<String> hostMetrics() {
            return metrics;
        }
    }

    private final List<SpectralWindow> seen = new ArrayList<>();
    private final PluginRegistry recording = PluginRegistry.of(List.<Plugin>of(new Recorder("recorder", seen),
            new Recorder("other", new ArrayList<>())));

    /** A hand-written spectrum.csv of three W = 3 windows (steps 10, 20, 30) with p = 77. */
    private void writeSpectrum(boolean withDimension) throws IOException {
        String header = "step,sigma_1,sigma_2,sigma_3,lambda_1,lambda_2,lambda_3,ratio_1,ratio_2,kstar,kstar_weighted,g23"
                + (withDimension ? ",first_step,dimension" : "");
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int step = 10; step <= 30; step += 10) {
            csv.append(step).append(",4.0,2.0,1.0,16.0,4.0,1.0,2.0,2.0,1,1,3.0")
                    .append(withDimension ? "," + (step - 5) + ",77" : "").append('\n');
        }
        Files.writeString(dir.resolve("spectrum.csv"), csv);
    }

    /** metrics.csv: steps 0, 15, 30; test_acc 0.1, NaN, 0.9; train_acc 0.2, 0.5, 1.0; lr 1e-3. */
    private void writeMetrics() {
        double nan = Double.NaN;
        MetricsCsv.write(dir.resolve("metrics.csv"), new MetricsTable(
                List.of("train_loss", "test_loss", "train_acc", "test_acc", "lr"), new long[] {0, 15, 30},
                new double[][] {{2, 2.1, 0.2, 0.1, 1e-3}, {1, nan, 0.5, nan, 1e-3}, {0.1, 0.2, 1.0, 0.9, 1e-3}}));
    }

    @Test
    void feedsEachWindowWithTheLatestMetricsAtOrBeforeItsStepAndTheDimension() throws IOException {
        writeSpectrum(true);
        writeMetrics();

        DetectJob.Result result = new DetectJob(recording).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))), (d, t, s) -> { });

        assertFalse(result.spectrumComputed());
        assertEquals(3, result.windows());
        assertEquals(List.of(10L, 20L, 30L), seen.stream().map(SpectralWindow::step).toList());
        assertEquals(Map.of("train_loss", 2.0, "test_loss", 2.1, "train_acc", 0.2, "test_acc", 0.1, "lr", 1e-3,
                "dimension", 77.0), seen.get(0).metrics());
        assertEquals(Map.of("train_loss", 1.0, "test_loss", 2.1, "train_acc", 0.5, "test_acc", 0.1, "lr", 1e-3,
                "dimension", 77.0), seen.get(1).metrics(), "NaN cells fall back to the latest recorded value");
        assertEquals(0.9, seen.get(2).metric("test_acc").orElseThrow());
        assertEquals(4.0, seen.get(0).sigma(1));
    }

    @Test
    void refusesADetectorReadingAHostMetricItDoesNotComputeBeforeReadingAnything() throws IOException {
        writeSpectrum(true);
        PluginRegistry asking = PluginRegistry.of(List.<Plugin>of(new Asking(new Recorder("asking", seen),
                Set.of("edge_curvature"))));

        ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(asking).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("asking"))), (d, t, s) -> { }));
        assertTrue(e.getMessage().contains("'edge_curvature'") && e.getMessage().contains("edge_grad_share"),
                e.getMessage());
        assertTrue(seen.isEmpty());
        assertFalse(Files.exists(dir.resolve("events.json")));
    }

    @Test
    void saysWhatToTrainWithWhenAHostMetricNeedsCheckpointsTheFolderLacks() throws IOException {
        writeSpectrum(true);
        PluginRegistry asking = PluginRegistry.of(List.<Plugin>of(new Asking(new Recorder("asking", seen),
                Set.of(SpectralWindow.EDGE_GRADIENT_SHARE))));

        DataFormatException e = assertThrows(DataFormatException.class, () -> new DetectJob(asking).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("asking"))), (d, t, s) -> { }));
        assertTrue(e.getMessage().startsWith("detector asking reads the gradient share on v_1 of each window")
                && e.getMessage().contains("train.checkpoint-every"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("events.json")));
    }

    @Test
    void recordsTheDigestsOfTheSpectrumAndMetricsItRead() throws Exception {
        writeSpectrum(true);
        writeMetrics();
        new DetectJob(recording).run(DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))),
                (d, t, s) -> { });

        EventsFile.Entry entry = EventsFile.readEntries(dir.resolve("events.json")).getFirst();
        assertEquals(Map.of("spectrum.csv", sha256(dir.resolve("spectrum.csv")), "metrics.csv",
                sha256(dir.resolve("metrics.csv"))), entry.inputs());
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void passesNoMetricsButTheDimensionWithoutAMetricsFile() throws IOException {
        writeSpectrum(true);
        new DetectJob(recording).run(DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))),
                (d, t, s) -> { });
        assertEquals(Map.of("dimension", 77.0), seen.getFirst().metrics());
    }

    @Test
    void writesTheSummariesToEventsJsonAndReturnsThem() throws IOException {
        writeSpectrum(false);
        DetectJob.Result result = new DetectJob(recording).run(DetectJob.Request.of(dir,
                List.of(DetectorChoice.parse("recorder", List.of("level=2.5")))), (d, t, s) -> { });

        assertEquals(new RunLayout(dir).events(), result.events());
        assertEquals(result.summaries(), EventsFile.read(result.events()));
        EventsFile.Entry entry = EventsFile.readEntries(result.events()).getFirst();
        assertEquals("2.5", entry.settings().get("level"), "the settings used are recorded: " + entry.settings());
        assertTrue(entry.source().startsWith("sedge detect "), entry.source());
        assertEquals(Map.of("spectrum.csv", sha256(dir.resolve("spectrum.csv"))), entry.inputs(),
                "what it read, with the digest of the bytes (no metrics.csv here)");
        EdgeEvent event = result.summaries().getFirst().events().getFirst();
        assertEquals(20, event.step());
        assertEquals(2.5, event.values().get("level"));
        assertTrue(seen.getFirst().metrics().isEmpty(), "no metrics file and no dimension column");
    }

    @Test
    void replacesItsOwnSummaryAndKeepsEveryOtherDetectorsInPlace() throws IOException {
        writeSpectrum(false);
        DetectorSummary slope = new DetectorSummary("eigengap-slope", List.of(), Map.of("late_ratio", 301.5));
        DetectorSummary stale = new DetectorSummary("recorder", List.of(), Map.of("windows", 99.0));
        DetectorSummary last = new DetectorSummary("g23-decline", List.of(), Map.of("grokked", 0.0));
        EventsFile.write(dir.resolve("events.json"), List.of(slope, stale, last));

        new DetectJob(recording).run(DetectJob.Request.of(dir,
                List.of(DetectorChoice.of("recorder"), DetectorChoice.of("other"))), (d, t, s) -> { });

        List<DetectorSummary> merged = EventsFile.read(dir.resolve("events.json"));
        assertEquals(List.of("eigengap-slope", "recorder", "g23-decline", "other"),
                merged.stream().map(DetectorSummary::detector).toList());
        assertEquals(slope, merged.get(0));
        assertEquals(3.0, merged.get(1).statistics().get("windows"));
        assertEquals(last, merged.get(2));
    }

    @Test
    void refusesAnUnknownKeyListingTheKnownOnesBeforeDoingAnything() throws IOException {
        writeCheckpoints();
        ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(builtIn).run(
                new DetectJob.Request(dir, List.of(DetectorChoice.parse("g23-decline", List.of("treshold=0.9"))),
                        "first", SpectralOptions.of(4)), (d, t, s) -> { }));

        assertTrue(e.getMessage().contains("detector.g23-decline.treshold")
                && e.getMessage().contains("known keys: threshold, min-decline, metric"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("spectrum.csv")), "nothing computed");
        assertFalse(Files.exists(dir.resolve("events.json")));
    }

    @Test
    void refusesAnUnknownDetectorNamingTheKnownOnes() throws IOException {
        writeSpectrum(false);
        ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(builtIn).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("g32-decline"))), (d, t, s) -> { }));
        assertTrue(e.getMessage().contains("unknown detector 'g32-decline'") && e.getMessage().contains("g23-decline"),
                e.getMessage());
    }

    @Test
    void turnsAValueOutOfRangeIntoAConfigurationError() throws IOException {
        writeSpectrum(false);
        ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(recording).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.parse("recorder", List.of("level=-1")))),
                (d, t, s) -> { }));
        assertTrue(e.getMessage().contains("detector.recorder") && e.getMessage().contains("level must be >= 0"),
                e.getMessage());
        assertTrue(seen.isEmpty());
    }

    @Test
    void refusesToGuessSpectralOptionsWhenTheSpectrumIsMissing() throws IOException {
        writeCheckpoints();
        ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(builtIn).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("bbp"))), (d, t, s) -> { }));
        assertTrue(e.getMessage().contains("no spectrum.csv"), e.getMessage());
    }

    @Test
    void namesTheDetectorAndStepWhenItFailsAndLeavesEventsJsonAlone() throws IOException {
        writeSpectrum(false); // no dimension column: bbp has no p
        EventsFile.write(dir.resolve("events.json"), List.of());
        String before = Files.readString(dir.resolve("events.json"));

        PluginException e = assertThrows(PluginException.class, () -> new DetectJob(builtIn).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("bbp"))), (d, t, s) -> { }));

        assertTrue(e.getMessage().contains("detector 'bbp' at the window of step 10 failed: ")
                && e.getMessage().contains("detector.bbp.dimension"), e.getMessage());
        assertEquals(before, Files.readString(dir.resolve("events.json")));
    }

    @Test
    void refusesASpectrumWithoutWindowsAndLeavesEventsJsonAlone() throws IOException {
        Files.writeString(dir.resolve("spectrum.csv"), "step,sigma_1,sigma_2,lambda_1,lambda_2,ratio_1,kstar,"
                + "kstar_weighted,g23\n");
        EventsFile.write(dir.resolve("events.json"), List.of());
        String before = Files.readString(dir.resolve("events.json"));

        DataFormatException e = assertThrows(DataFormatException.class, () -> new DetectJob(recording).run(
                DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))), (d, t, s) -> { }));

        assertTrue(e.getMessage().contains("holds no window") && e.getMessage().contains("left as it was"),
                e.getMessage());
        assertEquals(before, Files.readString(dir.resolve("events.json")));
    }

    @Test
    void refusesARunAnotherWriterHolds() throws IOException {
        writeSpectrum(false);
        try (RunLock held = RunLock.acquire(dir, "a test")) {
            ConfigException e = assertThrows(ConfigException.class, () -> new DetectJob(recording).run(
                    DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))), (d, t, s) -> { }));
            assertTrue(e.getMessage().contains("is in use: a test (pid " + ProcessHandle.current().pid()),
                    e.getMessage());
            assertEquals(held.layout().root(), dir);
        }
        new DetectJob(recording).run(DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))),
                (d, t, s) -> { });
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "the lock file goes with the lock");
    }

    @Test
    void refusesToChooseADetectorTwiceOrNone() {
        assertThrows(ConfigException.class, () -> DetectJob.Request.of(dir,
                List.of(DetectorChoice.of("bbp"), DetectorChoice.of("bbp"))));
        assertThrows(ConfigException.class, () -> DetectJob.Request.of(dir, List.of()));
    }

    @Test
    void reportsProgressForEveryWindow() throws IOException {
        writeSpectrum(false);
        List<String> details = new ArrayList<>();
        new DetectJob(recording).run(DetectJob.Request.of(dir, List.of(DetectorChoice.of("recorder"))),
                (done, total, detail) -> details.add(done + "/" + total + " " + detail));
        assertEquals(List.of("0/3 detect: step 10", "1/3 detect: step 20", "2/3 detect: step 30", "3/3 done"), details);
    }

    @Test
    void parsesKeyValueSettingsWithOrWithoutTheScope() {
        DetectorChoice c = DetectorChoice.parse("g23-decline",
                List.of("threshold=0.99", "detector.g23-decline.metric = add_acc"));
        assertEquals(Map.of("threshold", "0.99", "metric", "add_acc"), c.settings());
        assertThrows(ConfigException.class, () -> DetectorChoice.parse("g23-decline", List.of("threshold")));
        assertThrows(ConfigException.class, () -> DetectorChoice.parse("g23-decline", List.of("=1")));
        assertThrows(ConfigException.class, () -> DetectorChoice.parse("g23-decline", List.of("detector.bbp.x=1")));
        assertThrows(ConfigException.class, () -> DetectorChoice.parse("g23-decline", List.of("a=1", "a=2")));
    }

    /**
     * A run directory: checkpoints at steps 0, 100, …, 1100 of one tensor "w" (group "first") with
     * random updates of decaying size plus a planted direction; test accuracy 0.1 before step 800,
     * 0.97 from it.
     */
    private void writeCheckpoints() throws IOException {
        RunLayout run = new RunLayout(dir);
        Files.createDirectories(run.checkpoints());
        SafetensorsFormat safetensors = new SafetensorsFormat();
        SplittableRandom random = new SplittableRandom(11);
        float[] w = new float[P];
        int count = 12;
        long[] steps = new long[count];
        double[][] rows = new double[count][];
        for (int t = 0; t < count; t++) {
            if (t > 0) {
                for (int i = 0; i < P; i++) {
                    w[i] += (float) (random.nextGaussian() / t + (i == 0 ? 3.0 / t : 0));
                }
            }
            safetensors.writer().orElseThrow().write(run.checkpoint(100L * t),
                    List.of(Tensor.ofFloats("w", DType.F32, List.of((long) P), w.clone())), Map.of());
            steps[t] = 100L * t;
            rows[t] = new double[] {1, 1, 0.5, 100L * t >= 800 ? 0.97 : 0.1};
        }
        ManifestFile.write(run.manifest(), RunManifest.of("trained", Provenance.now("test", Map.of(), Map.of(), 1,
                Map.of()), List.of(new LayoutEntry("w", List.of((long) P), DType.F32, "first"))));
        MetricsCsv.write(run.metrics(), new MetricsTable(MetricsTable.REQUIRED, steps, rows));
    }

    @Test
    void computesAMissingSpectrumAndAgreesWithItsColumns() throws IOException {
        writeCheckpoints();

        DetectJob.Result result = new DetectJob(builtIn).run(new DetectJob.Request(dir,
                List.of(DetectorChoice.of("g23-decline"), DetectorChoice.of("bbp")), "first", SpectralOptions.of(4)),
                (d, t, s) -> { });

        assertTrue(result.spectrumComputed());
        List<WindowSpectrum> windows = SpectrumCsv.read(dir.resolve("spectrum.csv"));
        assertEquals(11 - 4 + 1, windows.size());
        assertEquals(windows.size(), result.windows());

        Map<String, Double> g23 = result.summaries().get(0).statistics();
        assertEquals(800, g23.get("grokking_step"));
        double peak = windows.stream().filter(w -> w.step() < 800).mapToDouble(WindowSpectrum::g23).max().orElseThrow();
        double atGrokking = windows.stream().filter(w -> w.step() == 800).findFirst().orElseThrow().g23();
        assertEquals(peak / atGrokking, g23.get("decline"), 1e-9 * peak / atGrokking);
        assertEquals(g23.get("decline") > 1.5, !result.summaries().get(0).events().isEmpty());

        WindowSpectrum last = windows.getLast();
        Map<String, Double> bbp = result.summaries().get(1).statistics();
        assertEquals(last.bbpThreshold(), bbp.get("final_d_crit"), 1e-9 * last.bbpThreshold());
        assertEquals(last.bbpCount(), bbp.get("final_count"));
        assertEquals(P, bbp.get("dimension"));
        assertEquals(result.summaries(), EventsFile.read(dir.resolve("events.json")));
    }
}
