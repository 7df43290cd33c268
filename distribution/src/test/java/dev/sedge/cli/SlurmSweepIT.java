package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge sweep --executor slurm} on a real Slurm: the one-node cluster
 * {@code benchmarks/slurm/start-local-slurm.sh} starts on this machine (slurmctld, slurmd, munged). Skipped,
 * saying why, when sbatch is not on PATH or no node is up. The tasks run the image's launcher into a
 * sweep folder in the temporary folder, which this one machine shares with itself.
 */
class SlurmSweepIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL = """
            {"set": {"task.p": 11, "task.train-size": 60, "architecture.hidden": 64, "optimizer.learning-rate": 0.01,
                     "train.steps": %d, "train.checkpoint-every": 20, "spectrum.window": 5,
                     "detector.eigengap-slope.lag": 5, "detector.eigengap-slope.min-step": 10,
                     "detector.eigengap-slope.late-from": 20, "detector.eigengap-slope.late-to": 40},
             "conditions": [{"name": "wd", "set": {"optimizer.weight-decay": 0.0002}}%s],
             "controls": {"optimizer.weight-decay": [0]},
             "seeds": 2,
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";
    private static final String NO_WD = ", {\"name\": \"no-wd\", \"set\": {\"optimizer.weight-decay\": 0}}";
    /** What differs between two runs of the same plan: when and where they ran, and how (their logs). */
    private static final Set<String> NOT_COMPARED = Set.of("run.json", "result.json", "train.log");

    @TempDir
    Path temp;

    /** Why the tests cannot run here, when they cannot: asked once. */
    private static String noSlurm;

    @BeforeAll
    static void askForSlurm() throws Exception {
        boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "sbatch")));
        if (!onPath) {
            noSlurm = "SlurmSweepIT skipped: sbatch is not on PATH; benchmarks/slurm/start-local-slurm.sh installs"
                    + " Slurm (slurm-wlm, munge) and starts a one-node cluster here";
        } else {
            Process sinfo = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
            String states = new String(sinfo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean answered = sinfo.waitFor(30, TimeUnit.SECONDS) && sinfo.exitValue() == 0;
            if (!answered || states.lines().noneMatch(s -> Set.of("idle", "mixed", "allocated").contains(s.strip()))) {
                noSlurm = "SlurmSweepIT skipped: no Slurm node is up (sinfo says: " + states.strip().replace('\n', ' ')
                        + "); start one with benchmarks/slurm/start-local-slurm.sh";
            }
        }
        if (noSlurm != null) {
            System.out.println(noSlurm);
        }
    }

    @BeforeEach
    void requireSlurm() {
        assumeTrue(noSlurm == null, noSlurm);
    }

    private Path spec(int steps, String more) throws Exception {
        Path spec = temp.resolve("sweep-" + steps + ".json");
        Files.writeString(spec, SMALL.formatted(steps, more));
        return spec;
    }

    @Test
    void givesTheLocalExecutorsRunsBitForBit() throws Exception {
        Path spec = spec(40, NO_WD);
        Path slurm = temp.resolve("slurm");
        Path local = temp.resolve("local");
        long started = System.nanoTime();
        ProcessRun onSlurm = ProcessRun.sedge(temp, "sweep", spec.toString(), "--out", slurm.toString(),
                "--executor", "slurm", "--jobs", "2");
        System.out.printf("SlurmSweepIT: 4 runs on Slurm in %.1f s%n", (System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        ProcessRun onCores = ProcessRun.sedge(temp, "sweep", spec.toString(), "--out", local.toString(), "--jobs", "2");
        System.out.printf("SlurmSweepIT: 4 runs locally in %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertEquals(Main.OK, onSlurm.code(), onSlurm.err());
        assertEquals(Main.OK, onCores.code(), onCores.err());
        assertTrue(onSlurm.err().contains("4 to train; one Slurm job array"), onSlurm.err());
        String job = Files.readString(slurm.resolve(".slurm/job")).strip().split(" ")[0];
        for (String run : List.of("wd/seed-0", "wd/seed-1", "no-wd/seed-0", "no-wd/seed-1")) {
            assertTrue(Files.readString(slurm.resolve(run).resolve("train.log")).contains("sweep: slurm task " + job
                    + "_"), run + " ran as a task of array " + job);
            List<Path> files = files(local.resolve(run));
            assertEquals(files, files(slurm.resolve(run)), run);
            assertTrue(files.contains(Path.of("checkpoints/step-000000040.safetensors")), files.toString());
            for (Path file : files) {
                if (!NOT_COMPARED.contains(file.toString())) {
                    assertArrayEquals(Files.readAllBytes(local.resolve(run).resolve(file)),
                            Files.readAllBytes(slurm.resolve(run).resolve(file)), run + "/" + file);
                }
            }
            ObjectNode localRun = (ObjectNode) JSON.readTree(local.resolve(run).resolve("run.json").toFile());
            ObjectNode slurmRun = (ObjectNode) JSON.readTree(slurm.resolve(run).resolve("run.json").toFile());
            ((ObjectNode) localRun.get("provenance")).remove("created");
            ((ObjectNode) slurmRun.get("provenance")).remove("created");
            assertEquals(localRun, slurmRun, run + "/run.json but its creation time");
        }
        JsonNode localResults = JSON.readTree(local.resolve("results.json").toFile());
        JsonNode slurmResults = JSON.readTree(slurm.resolve("results.json").toFile());
        assertEquals(localResults.get("evaluation"), slurmResults.get("evaluation"));
        assertEquals(withoutExecution(localResults.get("runs")), withoutExecution(slurmResults.get("runs")));
    }

    @Test
    void resumesOnlyTheTaskThatWasCancelled() throws Exception {
        Path spec = spec(300, "");
        Path out = temp.resolve("cancelled");
        Path err = temp.resolve("first.err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("sedge.image"), "bin", "sedge")
                .toString(), "sweep", spec.toString(), "--out", out.toString(), "--executor", "slurm"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SEDGE_PLUGINS", temp.resolve("plugins").toString());
        env.remove("SEDGE_JAVA_OPTS");
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(temp.resolve("first.out").toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process sweep = builder.start();
        Path victim = out.resolve("wd/seed-1");
        Path resumable = victim.resolve("checkpoints/state/step-000000020.safetensors");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(resumable) && sweep.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(resumable), "run wd/seed-1 wrote its first resumable checkpoint");
        assertTrue(Files.notExists(victim.resolve("checkpoints/step-000000300.safetensors")), "still training");
        String job = Files.readString(out.resolve(".slurm/job")).strip().split(" ")[0];
        ProcessRun cancel = ProcessRun.of(List.of("scancel", job + "_1"), env, temp, temp);
        assertEquals(0, cancel.code(), cancel.err());
        assertTrue(sweep.waitFor(3, TimeUnit.MINUTES), "the sweep ended after the array did");
        String first = Files.readString(err);

        assertEquals(143, sweep.exitValue(), first);
        assertTrue(first.contains("FAILED wd/seed-1: Slurm ended array task " + job + "_1 before sedge train returned"
                + " (state CANCELLED"), first);
        byte[] finished = Files.readAllBytes(out.resolve("wd/seed-0/result.json"));
        assertTrue(Files.notExists(victim.resolve("result.json")));

        ProcessRun status = ProcessRun.sedge(temp, "sweep", "--status", out.toString());
        assertEquals(Main.OK, status.code(), status.err());
        assertTrue(status.out().contains("last Slurm job array " + job), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("wd/seed-1 +failed +task " + job + "_1 ended before sedge"
                + " train returned \\(state CANCELLED\\).*")), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("wd/seed-0 +done +task " + job + "_0")), status.out());

        ProcessRun again = ProcessRun.sedge(temp, "--json", "sweep", spec.toString(), "--out", out.toString(),
                "--executor", "slurm");
        assertEquals(Main.OK, again.code(), again.err());
        assertTrue(again.err().contains("1 finished, 1 to resume"), again.err());
        JsonNode results = JSON.readTree(again.out());
        assertEquals("resumed", results.at("/runs/1/execution/mode").asText());
        assertArrayEquals(finished, Files.readAllBytes(out.resolve("wd/seed-0/result.json")), "not resubmitted");
        String log = Files.readString(victim.resolve("train.log"));
        assertTrue(log.contains("train --no-report --resume"), log);

        // the resumed run is the run an uninterrupted one would have been, bit for bit
        Path whole = temp.resolve("whole");
        ProcessRun local = ProcessRun.sedge(temp, "sweep", spec.toString(), "--out", whole.toString(), "--seeds", "1,");
        assertEquals(Main.OK, local.code(), local.err());
        for (String file : List.of("metrics.csv", "spectrum.csv", "events.json",
                "checkpoints/step-000000300.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("wd/seed-1").resolve(file)),
                    Files.readAllBytes(victim.resolve(file)), file);
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    private static JsonNode withoutExecution(JsonNode runs) {
        JsonNode copy = runs.deepCopy();
        copy.forEach(run -> ((ObjectNode) run).remove(List.of("execution", "directory")));
        return copy;
    }
}
