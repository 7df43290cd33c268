package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's report, from the image's launcher, in headless Chromium: {@code sedge train} writes it, {@code sedge
 * explain} refreshes it with the explain charts, and every chart draws data marks with no console error; the
 * detector's fire is the rule the loss chart draws. The sweep's report is checked in {@link SweepIT}, the
 * reproduction's in {@link ReproduceLockInIT}.
 */
class ReportBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** mlp2 on (a + b) mod 11, long enough for the eigengap-slope detector to fire. */
    private static final List<String> SMALL = List.of("--set", "task.p=11", "--set", "task.train-size=60", "--set",
            "train.steps=300", "--set", "train.checkpoint-every=50");

    @TempDir
    static Path temp;

    @BeforeAll
    static void chromium() throws Exception {
        Chromium.require(temp);
    }

    private static ProcessRun sedge(String... args) throws Exception {
        return ProcessRun.sedge(temp, args);
    }

    @Test
    void aTrainedAndExplainedRunsReportDrawsEveryChartWithTheFireMarked() throws Exception {
        Path run = temp.resolve("run");
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(SMALL);
        train.addAll(List.of("--out", run.toString()));
        ProcessRun trained = sedge(train.toArray(String[]::new));
        assertEquals(Main.OK, trained.code(), trained.err());
        assertTrue(trained.err().contains("sedge: report " + run.resolve("report.html")), trained.err());
        Chromium.check(run.resolve("report.html"), "run", specs(run), temp);

        ProcessRun explained = sedge("explain", run.toString(), "--window", "5");
        assertEquals(Main.OK, explained.code(), explained.err());
        List<String> ids;
        try (Stream<Path> files = Files.list(run.resolve("report"))) {
            ids = files.map(p -> p.getFileName().toString().replace(".vl.json", "")).sorted().toList();
        }
        for (String id : List.of("loss", "accuracy", "sigma", "lambda", "gap-ratios", "kstar", "g23", "rotation",
                "stability", "explain-modes", "explain-by-output", "explain-power-v1", "explain-mode-v1", "explain-ablation",
                "explain-perturbation", "explain-probe")) {
            assertTrue(ids.contains(id), "chart " + id + " in " + ids);
        }
        JsonNode status = Chromium.check(run.resolve("report.html"), "run-explained", ids.size(), temp);
        assertTrue(status.path("marks").path("explain-mode-v1").asInt() >= 121, "one cell per (a, b): " + status);

        JsonNode events = JSON.readTree(run.resolve("events.json").toFile());
        long fire = events.at("/detectors/0/events/0/step").asLong();
        JsonNode loss = JSON.readTree(run.resolve("report/loss.vl.json").toFile());
        assertEquals(fire, loss.at("/layer/1/data/values/0/step").asLong(), "the loss chart marks the detector's fire");
        assertTrue(Files.size(run.resolve("report.html")) < 5_000_000, "the report stays under 5 MB");
    }

    @Test
    void noReportSkipsItAndSedgeReportWritesItLater() throws Exception {
        Path run = temp.resolve("quiet");
        ProcessRun trained = sedge("train", "--set", "task.p=11", "--set", "task.train-size=60", "--set",
                "train.steps=40", "--no-report", "--out", run.toString());
        assertEquals(Main.OK, trained.code(), trained.err());
        assertFalse(Files.exists(run.resolve("report.html")));
        Path html = temp.resolve("elsewhere/quiet.html");
        Files.createDirectories(html.getParent());
        ProcessRun report = sedge("report", run.toString(), "--out", html.toString());
        assertEquals(Main.OK, report.code(), report.err());
        assertEquals(html.toString(), report.out().strip());
        assertTrue(Files.isRegularFile(html.resolveSibling("report").resolve("loss.vl.json")));
        ProcessRun nothing = sedge("report", temp.resolve("no-such-run").toString());
        assertEquals(Main.DATA, nothing.code(), nothing.err());
        assertTrue(nothing.err().contains("neither a run directory") && nothing.err().contains("does not exist"),
                nothing.err());
    }

    /** How many charts the report in {@code folder} has: its specs beside it. */
    static int specs(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder.resolve("report"))) {
            return (int) files.filter(f -> f.toString().endsWith(".vl.json")).count();
        }
    }
}
