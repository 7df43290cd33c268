package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge sweep} from the image's launcher, its runs child processes of the same launcher: a
 * small variant of the default experiment (mod-add p = 11, K = 64, 40 steps), 2 conditions × 2 seeds,
 * 2 jobs.
 */
class SweepIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL = """
            {"set": {"task.p": 11, "task.train-size": 60, "architecture.hidden": 64, "optimizer.learning-rate": 0.01,
                     "train.steps": 40, "train.checkpoint-every": 20, "spectrum.window": 5,
                     "detector.eigengap-slope.lag": 5, "detector.eigengap-slope.min-step": 10,
                     "detector.eigengap-slope.late-from": 20, "detector.eigengap-slope.late-to": 40},
             "conditions": [%s],
             "controls": {"optimizer.weight-decay": [0]},
             "seeds": %d,
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";
    private static final String TWO_CONDITIONS = """
            {"name": "wd", "set": {"optimizer.weight-decay": 0.0002}},
            {"name": "no-wd", "set": {"optimizer.weight-decay": 0}}""";

    @TempDir
    Path temp;

    private ProcessRun sedge(String... args) throws Exception {
        return ProcessRun.sedge(temp, args);
    }

    private Path spec(String conditions, int seeds) throws Exception {
        Path spec = temp.resolve("sweep.json");
        Files.writeString(spec, SMALL.formatted(conditions, seeds));
        return spec;
    }

    private static Instant instant(JsonNode result, String field) {
        return Instant.parse(result.at("/execution/" + field).asText());
    }

    @Test
    void runsInParallelResumesAndWritesTheResults() throws Exception {
        Path spec = spec(TWO_CONDITIONS, 2);
        Path out = temp.resolve("out");
        long started = System.nanoTime();
        ProcessRun first = sedge("sweep", spec.toString(), "--out", out.toString(), "--jobs", "2");
        System.out.printf("SweepIT: 4 runs with 2 jobs in %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertEquals(Main.OK, first.code(), first.err());
        assertTrue(first.err().contains("4 to train; 2 child processes of "), first.err());
        assertTrue(first.err().contains("sweep: 4/4 done"), first.err());
        List<String> runs = List.of("wd/seed-0", "wd/seed-1", "no-wd/seed-0", "no-wd/seed-1");
        List<JsonNode> results = new ArrayList<>();
        for (String run : runs) {
            Path dir = out.resolve(run);
            results.add(JSON.readTree(dir.resolve("result.json").toFile()));
            String log = Files.readString(dir.resolve("train.log"));
            assertTrue(log.contains("SEDGE_JAVA_OPTS='-Dai.djl.pytorch.num_threads=")
                    && log.contains("bin/sedge --plugins") && log.contains("train: 40/40 100% "), log);
        }
        boolean overlapped = false;
        for (int i = 0; i < results.size(); i++) {
            for (int j = i + 1; j < results.size(); j++) {
                overlapped |= instant(results.get(i), "started").isBefore(instant(results.get(j), "finished"))
                        && instant(results.get(j), "started").isBefore(instant(results.get(i), "finished"));
            }
        }
        assertTrue(overlapped, "two runs trained at the same time: " + results);

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.getFirst().startsWith("run,condition,control,optimizer.weight-decay,seed,status,grokked_50,"
                + "grokked_95,grokked_99,t50,t95,t99,final_test_acc,eigengap-slope.fire_step,"), csv.getFirst());
        assertTrue(csv.get(3).startsWith("no-wd/seed-0,no-wd,true,0.0,0,ok,"), csv.get(3));
        JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(4, json.get("runs").size());
        assertEquals("wd/seed-1", json.at("/runs/1/run").asText());
        assertEquals(results.get(1).at("/detectors/eigengap-slope/fire_step"),
                json.at("/runs/1/detectors/eigengap-slope/fire_step"));
        assertEquals(4, json.at("/evaluation/eigengap-slope/all/runs").asInt());
        assertEquals(2, json.at("/evaluation/eigengap-slope/all/confusion/tp").asInt()
                + json.at("/evaluation/eigengap-slope/all/confusion/fn").asInt());
        assertTrue(json.at("/evaluation/eigengap-slope/all/auroc/value").isNumber(), json.toString());

        // one run loses its marker, another its marker and its last checkpoint
        Files.delete(out.resolve("wd/seed-1/result.json"));
        Files.delete(out.resolve("no-wd/seed-0/result.json"));
        Files.delete(out.resolve("no-wd/seed-0/checkpoints/step-000000040.safetensors"));
        ProcessRun second = sedge("--json", "sweep", spec.toString(), "--out", out.toString(), "--jobs", "2");

        assertEquals(Main.OK, second.code(), second.err());
        assertTrue(second.err().contains("2 finished, 1 to collect, 1 to resume"), second.err());
        JsonNode again = JSON.readTree(second.out());
        assertEquals("collected", again.at("/runs/1/execution/mode").asText());
        assertEquals("resumed", again.at("/runs/2/execution/mode").asText());
        assertEquals("trained", again.at("/runs/0/execution/mode").asText());
        assertEquals(json.at("/runs/2/detectors"), again.at("/runs/2/detectors"), "resuming reproduces the run");
        assertEquals(json.at("/evaluation"), again.at("/evaluation"));
        assertTrue(Files.readString(out.resolve("no-wd/seed-0/train.log")).contains("--resume"));
        assertEquals(results.get(0), JSON.readTree(out.resolve("wd/seed-0/result.json").toFile()), "not redone");
    }

    @Test
    void itsReportDrawsInABrowser() throws Exception {
        Chromium.require(temp);
        Path out = temp.resolve("reported");
        ProcessRun run = sedge("sweep", spec(TWO_CONDITIONS, 1).toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.err().contains("sedge: report " + out.resolve("report.html")), run.err());
        assertTrue(Files.isRegularFile(out.resolve("report/test-accuracy.vl.json")));
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("eigengap-slope: detection") && page.contains("<h2>Runs</h2>"), "the tables");
        Chromium.check(out.resolve("report.html"), "sweep", ReportBrowserIT.specs(out), temp);
    }

    @Test
    void reportsAFailedRunWithItsLogAndFinishesTheOthers() throws Exception {
        Path spec = spec(TWO_CONDITIONS + ", {\"name\": \"diverging\", \"set\": {\"optimizer.learning-rate\": 1e30}}",
                1);
        Path out = temp.resolve("failing");
        ProcessRun run = sedge("sweep", spec.toString(), "--out", out.toString(), "--jobs", "2");

        assertEquals(Main.NUMERIC, run.code(), run.err());
        assertTrue(run.err().contains("FAILED diverging/seed-0: exit code 5: "), run.err());
        assertTrue(run.out().contains("1 run failed") && run.out().contains("diverging/seed-0/train.log"), run.out());
        assertTrue(Files.exists(out.resolve("wd/seed-0/result.json")) && Files.exists(out.resolve("no-wd/seed-0/result.json")));
        assertTrue(Files.notExists(out.resolve("diverging/seed-0/result.json")));
        assertTrue(Files.readString(out.resolve("diverging/seed-0/train.log")).contains("learning-rate"));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(3).startsWith("diverging/seed-0,diverging,false,2.0E-4,1.0E30,0,failed,"), csv.get(3));
    }

    @Test
    void refusesAnUnknownKeyInAnyConditionBeforeAnyRunStarts() throws Exception {
        Path spec = spec(TWO_CONDITIONS + ", {\"name\": \"typo\", \"set\": {\"optimizer.weight-decy\": 0}}", 1);
        Path out = temp.resolve("never");
        ProcessRun run = sedge("sweep", spec.toString(), "--out", out.toString());

        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("sweep condition 'typo'") && run.err().contains("weight-decy"), run.err());
        assertTrue(Files.notExists(out));
    }
}
