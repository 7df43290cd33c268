package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.Provenance;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("..", "fixtures", "data").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    private RunLayout run;


    private CliRun sedge(String... args) {
        return CliRun.of(temp, args);
    }

    /** A run directory holding the PyTorch fixture trajectory (steps 0..5) and accuracies that cross 0.5 at step 3. */
    @BeforeEach
    void makeARun() throws IOException {
        run = new RunLayout(temp.resolve("run"));
        Files.createDirectories(run.checkpoints());
        try (Stream<Path> files = Files.list(FIXTURES.resolve("traj"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pt")).toList()) {
                Files.copy(f, run.checkpoints().resolve(f.getFileName()));
            }
        }
        ManifestFile.write(run.manifest(), RunManifest.of("imported",
                Provenance.now("test", Map.of(), Map.of(), 0, Map.of()), List.of()));
        double[][] rows = new double[6][];
        long[] steps = new long[6];
        for (int t = 0; t < 6; t++) {
            steps[t] = t;
            double acc = t < 3 ? 0.1 : 0.9;
            rows[t] = new double[] {1.0 / (t + 1), 1.0 / (t + 1), acc, acc};
        }
        MetricsCsv.write(run.metrics(), new MetricsTable(MetricsTable.REQUIRED, steps, rows));
    }

    @Test
    void computesTheMissingSpectrumRunsTheDetectorsAndWritesEvents() throws IOException {
        CliRun r = sedge("detect", run.root().toString(), "-d", "g23-decline", "-d", "bbp",
                "--set", "detector.g23-decline.threshold=0.5", "--window", "3", "--json");

        assertEquals(Main.OK, r.code(), r.err());
        JsonNode result = JSON.readTree(r.out());
        assertTrue(result.get("spectrum_computed").asBoolean());
        assertEquals(3, result.get("windows").asInt());
        assertEquals("g23-decline", result.get("detectors").get(0).get("detector").asText());
        assertEquals(1.0, result.get("detectors").get(0).get("statistics").get("grokked").asDouble());
        assertTrue(Files.exists(run.events()));
        assertTrue(Files.exists(run.spectrum()));
    }

    @Test
    void computesAMissingSpectrumWithTheRunsOwnWindowUnlessTold() throws IOException {
        ManifestFile.write(run.manifest(), RunManifest.of("imported", Provenance.now("test", Map.of(),
                Map.of("spectrum.window", "2", "spectrum.group", "*"), 0, Map.of()), List.of()));

        CliRun own = sedge("detect", run.root().toString(), "-d", "bbp", "--json");
        assertEquals(Main.OK, own.code(), own.err());
        assertEquals(4, JSON.readTree(own.out()).get("windows").asInt(), "W = 2 over 5 updates, as run.json says");

        Files.delete(run.spectrum());
        CliRun told = sedge("detect", run.root().toString(), "-d", "bbp", "--window", "4", "--json");
        assertEquals(Main.OK, told.code(), told.err());
        assertEquals(2, JSON.readTree(told.out()).get("windows").asInt(), "--window 4 wins");
    }

    @Test
    void printsEventsAndStatisticsAsText() {
        CliRun r = sedge("detect", run.root().toString(), "-d", "bbp", "--window", "2");

        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("bbp:") && r.out().contains("final_count"), r.out());
    }

    @Test
    void refusesAnUnknownDetectorKeyListingTheKnownOnes() {
        CliRun r = sedge("detect", run.root().toString(), "-d", "g23-decline", "--set", "detector.g23-decline.treshold=0.5");

        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("treshold") && r.err().contains("threshold"), r.err());
    }

    @Test
    void refusesASettingForADetectorThatIsNotChosen() {
        CliRun r = sedge("detect", run.root().toString(), "-d", "bbp", "--set", "detector.g23-decline.threshold=0.5");

        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("names no chosen detector"), r.err());
    }

    @Test
    void refusesAnUnknownDetector() {
        CliRun r = sedge("detect", run.root().toString(), "-d", "crystal-ball");

        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("unknown detector 'crystal-ball'") && r.err().contains("eigengap-slope"), r.err());
    }
}
