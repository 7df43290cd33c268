package dev.sedge.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.SedgeVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTests {

    @TempDir
    Path dir;

    /** Copies a golden file of format version 1 (written by sedge 0.1.0, never regenerated). */
    private Path golden(String name) throws IOException {
        return golden(1, name);
    }

    /** Copies a golden file of a format version; each is kept as written, never regenerated. */
    private Path golden(int version, String name) throws IOException {
        try (InputStream in = RunFilesTests.class.getResourceAsStream("/golden/run-v" + version + "/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    private static RunManifest manifest() {
        Provenance provenance = Provenance.now("0.1.0", Map.of("task/mod-add", "0.1.0"), Map.of("task.p", "71"), 7,
                Map.of("/data/ckpt.pt", "ab12"));
        return RunManifest.of("imported", provenance, List.of(
                new LayoutEntry("layer1.weight", List.of(142L, 2048L), DType.F32, List.of("layer1", "all")),
                new LayoutEntry("bias", List.of(), DType.F64, "")));
    }

    @Test
    void readsTheVersion1ManifestGoldenFile() throws IOException {
        RunManifest m = ManifestFile.read(golden("run.json"));

        assertEquals(1, m.formatVersion());
        assertEquals("trained", m.kind());
        assertEquals(42, m.provenance().seed());
        assertEquals("71", m.provenance().config().get("task.p"));
        assertEquals("0.1.0", m.provenance().plugins().get("task/mod-add"));
        assertEquals(new LayoutEntry("layer2.weight", List.of(2048L, 71L), DType.F32, "layer2"), m.layout().get(1));
    }

    @Test
    void roundTripsAManifest() {
        RunManifest written = manifest();
        Path file = dir.resolve("run.json");
        ManifestFile.write(file, written);
        assertEquals(written, ManifestFile.read(file));

        RunManifest withRuntime = written.withRuntime(Map.of("ai.djl.pytorch.num_threads", "1", "cores", "2"));
        ManifestFile.write(file, withRuntime);
        assertEquals(withRuntime, ManifestFile.read(file));
        assertEquals("1", ManifestFile.read(file).runtime().get("ai.djl.pytorch.num_threads"));
    }

    /** A tensor in overlapping groups keeps them all; a manifest from before {@code groups} gives each its one. */
    @Test
    void keepsEveryGroupOfATensorAndReadsTheOlderSingleGroup() throws IOException {
        Path file = dir.resolve("run.json");
        ManifestFile.write(file, manifest());
        assertEquals(List.of("layer1", "all"), ManifestFile.read(file).layout().getFirst().groups());
        assertEquals("layer1", ManifestFile.read(file).layout().getFirst().group());
        assertEquals(List.of(), ManifestFile.read(file).layout().get(1).groups());

        Files.writeString(file, Files.readString(file).replaceAll(",\\s*\"groups\"\\s*:\\s*\\[[^\\]]*\\]", ""));
        assertFalse(Files.readString(file).contains("\"groups\""), Files.readString(file));
        assertEquals(List.of("layer1"), ManifestFile.read(file).layout().getFirst().groups());
    }

    @Test
    void refusesAManifestFromANewerSedge() throws IOException {
        Path file = dir.resolve("run.json");
        Files.writeString(file, "{\"format_version\": 3, \"kind\": \"trained\"}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ManifestFile.read(file));
        assertTrue(e.getMessage().contains("format_version 3") && e.getMessage().contains("newer sedge")
                && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotJson() throws IOException {
        Path file = Files.writeString(dir.resolve("run.json"), "{\"formatVersion\": 1, ");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ManifestFile.read(file));
        assertTrue(e.getMessage().contains("not valid JSON") && e.getMessage().contains("(line 1, column"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Source:") || e.getMessage().contains("REDACTED"),
                "no library internals: " + e.getMessage());
    }

    @Test
    void readsTheVersion1EventsGoldenFile() throws IOException {
        Path file = golden("events.json");
        DetectorSummary summary = EventsFile.read(file).getFirst();

        assertEquals("eigengap-slope", summary.detector());
        assertEquals(174.0, summary.statistics().get("fire_step"));
        EdgeEvent event = summary.events().getFirst();
        assertEquals(174, event.step());
        assertEquals("lock-in", event.kind());
        assertEquals(0.0412, event.values().get("slope"));
        EventsFile.Entry entry = EventsFile.readEntries(file).getFirst();
        assertTrue(entry.settings().isEmpty() && entry.source().isEmpty(), "a file from before settings were kept");
        assertTrue(entry.inputs().isEmpty());
    }

    @Test
    void readsTheVersion2ManifestGoldenFile() throws IOException {
        RunManifest m = ManifestFile.read(golden(2, "run.json"));

        assertEquals(2, m.formatVersion());
        assertEquals(2, m.provenance().apiLevel());
        assertEquals("0.1.0", m.provenance().plugins().get("detector/eigengap-slope"));
        assertEquals("1", m.runtime().get("ai.djl.pytorch.num_threads"));
        assertEquals(new LayoutEntry("layer2.weight", List.of(2048L, 71L), DType.F32, "layer2"), m.layout().get(1));
    }

    @Test
    void readsTheVersion2EventsGoldenFileWithItsInputs() throws IOException {
        EventsFile.Entry entry = EventsFile.readEntries(golden(2, "events.json")).getFirst();

        assertEquals(173.0, entry.summary().statistics().get("fire_step"));
        assertEquals(Double.POSITIVE_INFINITY, entry.summary().statistics().get("max_slope"));
        assertEquals(0.0412, entry.summary().events().getFirst().values().get("slope"));
        assertEquals("sedge detect 0.1.0", entry.source());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                entry.inputs().get("spectrum.csv"));
        assertEquals(2, entry.inputs().size());
    }

    @Test
    void refusesAStatisticThatIsTextButNoNonFiniteNumber() throws IOException { // found by fuzzing
        Path file = golden(2, "events.json");
        Files.writeString(file, Files.readString(file).replace("\"Infinity\"", "\"Itinnify\""));

        DataFormatException e = assertThrows(DataFormatException.class, () -> EventsFile.readEntries(file));
        assertTrue(e.getMessage().startsWith("events file " + file + ": 'max_slope' is \"Itinnify\", expected a number"),
                e.getMessage());
    }

    @Test
    void writesEveryNameInSnakeCaseUnderTheCurrentVersion() throws IOException {
        Path manifest = dir.resolve("run.json");
        ManifestFile.write(manifest, manifest());
        Path events = dir.resolve("events.json");
        EventsFile.writeEntries(events, List.of(EventsFile.Entry.of(new DetectorSummary("d", List.of(),
                Map.of("fire_step", 1.0)), Map.of("min-step", 3), "sedge detect").withInputs(Map.of("a.csv", "00"))));
        String text = Files.readString(manifest) + Files.readString(events);

        assertTrue(text.startsWith("{\n  \"format_version\" : " + RunManifest.FORMAT_VERSION), text);
        assertTrue(text.contains("\"format_version\" : " + EventsFile.FORMAT_VERSION), text);
        assertTrue(text.contains("\"api_level\"") && text.contains("\"inputs\" : {\n      \"a.csv\""), text);
        assertFalse(text.contains("formatVersion") || text.contains("apiLevel"), text);
    }

    @Test
    void writesProvenanceMapsSortedSoTheSameRunGivesTheSameBytes() throws IOException {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        for (String key : List.of("train.steps", "task.p", "seed", "optimizer.name", "architecture.name", "detectors")) {
            config.put(key, "1");
        }
        Provenance p = new Provenance("0.1.0", 2, Map.of(), config, 1, "jdk", "os", Map.of(), "t");
        Path file = dir.resolve("run.json");
        ManifestFile.write(file, RunManifest.of("trained", p, List.of()));
        String text = Files.readString(file);

        List<Integer> positions = config.keySet().stream().sorted().map(k -> text.indexOf("\"" + k + "\"")).toList();
        assertEquals(positions.stream().sorted().toList(), positions, text);
    }

    @Test
    void digestsInputsUnderTheirPathRelativeToTheRun() throws IOException {
        Path spectrum = Files.writeString(dir.resolve("spectrum.csv"), "abc");
        Path outside = Files.writeString(Files.createTempFile("sedge-digest", ".csv"), "");
        try {
            Map<String, String> digests = InputDigests.of(dir, List.of(spectrum, outside));

            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digests.get("spectrum.csv"));
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    digests.get(outside.toAbsolutePath().normalize().toString()));
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void roundTripsEachDetectorsSettingsAndSource() {
        DetectorSummary summary = new DetectorSummary("eigengap-slope", List.of(), Map.of("late_ratio", 300.0));
        Path file = dir.resolve("events.json");
        EventsFile.Entry entry = EventsFile.Entry.of(summary, Map.of("lag", 25, "threshold", 0.04), "sedge detect");
        EventsFile.writeEntries(file, List.of(entry));

        EventsFile.Entry back = EventsFile.readEntries(file).getFirst();

        assertEquals(Map.of("lag", "25", "threshold", "0.04"), back.settings());
        assertEquals("sedge detect " + SedgeVersion.current(), back.source());
        assertEquals(entry, back);
        assertEquals(List.of(summary), EventsFile.read(file));
    }

    @Test
    void roundTripsEventsWithNonFiniteValues() {
        DetectorSummary summary = new DetectorSummary("bbp",
                List.of(new EdgeEvent("bbp", 3, "above", "all above", Map.of("ratio", Double.POSITIVE_INFINITY))),
                Map.of("count", 3.0, "gap", Double.NaN));
        Path file = dir.resolve("events.json");
        EventsFile.write(file, List.of(summary));
        DetectorSummary back = EventsFile.read(file).getFirst();

        assertEquals(summary.events(), back.events());
        assertEquals(3.0, back.statistics().get("count"));
        assertTrue(Double.isNaN(back.statistics().get("gap")));
    }

    @Test
    void readsTheVersion1MetricsGoldenFileWithMissingValues() throws IOException {
        MetricsTable table = MetricsCsv.read(golden("metrics.csv"));

        assertEquals(3, table.rows());
        assertEquals(0.4, table.value(1, "test_loss"));
        assertEquals(0.25, table.latest("test_acc", 25).getAsDouble());
        assertEquals(0.001, table.column("lr")[2]);
    }

    @Test
    void roundTripsMetricsExactly() {
        MetricsTable table = new MetricsTable(List.of("train_loss", "test_loss", "train_acc", "test_acc"),
                new long[] {1, 2}, new double[][] {{0.1 + 0.2, 1e-300, 1.0 / 3, Math.PI}, {1, 2, 3, Double.NaN}});
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, table);
        MetricsTable back = MetricsCsv.read(file);

        assertEquals(0.1 + 0.2, back.value(0, "train_loss"));
        assertEquals(1.0 / 3, back.value(0, "train_acc"));
        assertTrue(Double.isNaN(back.value(1, "test_acc")));
    }

    @Test
    void refusesMetricsRowWithMissingCellsNamingTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("metrics.csv"),
                "step,train_loss,test_loss,train_acc,test_acc\n1,0.1,0.2,0.3,0.4\n2,0.1,0.2\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MetricsCsv.read(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void namesCheckpointsSoTheySortByStep() {
        RunLayout layout = new RunLayout(dir);
        assertEquals(dir.resolve("checkpoints/step-000000100.safetensors"), layout.checkpoint(100));
        assertTrue(layout.checkpoint(99).toString().compareTo(layout.checkpoint(100).toString()) < 0);
    }

    @Test
    void leavesNoTemporaryFileBehind() throws IOException {
        ManifestFile.write(dir.resolve("run.json"), manifest());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("run.json")), files.toList());
        }
    }
}
