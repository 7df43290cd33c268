package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.NumericException;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.RunFailure;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRow;
import dev.sedge.core.sweep.SweepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sedge sweep} and {@code sedge reproduce lock-in} in-process, up to the point where runs would train. */
class SweepCommandTests {

    @TempDir
    Path temp;

    private CliRun sedge(String... args) {
        return CliRun.of(temp, args);
    }

    private Path spec(String json) throws Exception {
        Path file = temp.resolve("grid.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void dryRunPrintsTheConditionsAndTheStateOfEveryRun() throws Exception {
        Path spec = spec("{\"grid\": {\"optimizer.weight-decay\": [2e-4, 0]}, \"seeds\": [3, 4],"
                + " \"controls\": {\"optimizer.weight-decay\": [0]}}");
        CliRun run = sedge("sweep", spec.toString(), "--dry-run", "--out", temp.resolve("out").toString());

        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().contains("weight-decay-0.0002  false"), run.out());
        assertTrue(run.out().contains("weight-decay-0       true"), run.out());
        assertTrue(run.out().contains("weight-decay-0/seed-4       400    train"), run.out());
        assertTrue(Files.notExists(temp.resolve("out")), "a dry run writes nothing");
    }

    @Test
    void takesSeedsAndOverridesFromTheCommandLine() throws Exception {
        Path spec = spec("{\"seeds\": 5}");
        CliRun run = sedge("sweep", spec.toString(), "--dry-run", "--seeds", "0,7", "--set", "train.steps=12");

        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().contains("base/seed-7  12"), run.out());
        assertTrue(run.out().contains(Path.of("runs", "grid", "base", "seed-0").toString()), "default --out: runs/<spec>");
    }

    @Test
    void refusesAMalformedSpecOrOptionWithExitCode2() throws Exception {
        CliRun typo = sedge("sweep", spec("{\"grid\": {\"task.q\": [1]}}").toString(), "--dry-run");
        CliRun seeds = sedge("sweep", spec("{}").toString(), "--seeds", "a,b");
        CliRun jobs = sedge("sweep", spec("{}").toString(), "--jobs", "0");
        CliRun missing = sedge("sweep", temp.resolve("nope.json").toString());

        assertEquals(Main.USAGE, typo.code());
        assertTrue(typo.err().contains("task.q") && typo.err().contains("sweep condition 'q-1'"), typo.err());
        assertEquals(Main.USAGE, seeds.code());
        assertTrue(seeds.err().contains("--seeds"), seeds.err());
        assertEquals(Main.USAGE, jobs.code());
        assertTrue(jobs.err().contains("--jobs must be >= 1"), jobs.err());
        assertEquals(Main.USAGE, missing.code());
        assertTrue(missing.err().contains("nope.json does not exist"), missing.err());
    }

    @Test
    void reproduceLockInPlansTheProtocolAndItsQuickVersion() {
        CliRun full = sedge("reproduce", "lock-in", "--dry-run");
        CliRun quick = sedge("reproduce", "lock-in", "--dry-run", "--seeds", "3", "--conditions", "x2,x2-no-wd",
                "--out", temp.resolve("q").toString());

        assertEquals(Main.OK, full.code(), full.err());
        assertEquals(60, full.out().lines().filter(l -> l.contains("/seed-")).count(), full.out());
        assertTrue(full.out().contains("relu-no-wd/seed-14  800"), full.out());
        assertTrue(full.out().contains(Path.of("runs", "reproduce-lock-in", "x2", "seed-0").toString()), full.out());
        assertEquals(Main.OK, quick.code(), quick.err());
        assertEquals(List.of("x2/seed-0", "x2/seed-1", "x2/seed-2", "x2-no-wd/seed-0", "x2-no-wd/seed-1",
                "x2-no-wd/seed-2"), quick.out().lines().filter(l -> l.contains("/seed-"))
                .map(l -> l.split(" ")[0]).toList());
    }

    @Test
    void reproduceRefusesAnUnknownCondition() {
        CliRun run = sedge("reproduce", "lock-in", "--conditions", "x3", "--dry-run");

        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("no condition 'x3'") && run.err().contains("relu-no-wd"), run.err());
    }

    @Test
    void aFailedSweepExitsWithItsFirstFailedRunsCode() {
        SweepPlan plan = SweepPlan.of(SweepSpec.parse("{\"seeds\": 3}", temp, "test"), temp.resolve("out"),
                PluginRegistry.load(temp.resolve("plugins")));
        SweepRow child = SweepRow.of(plan.runs().get(1), new RunFailure("base/seed-1", "exit code 4: bad", temp,
                OptionalInt.of(4), Optional.empty()));
        SweepRow thrown = SweepRow.of(plan.runs().get(2), new RunFailure("base/seed-2", "NaN", temp,
                OptionalInt.empty(), Optional.of(new NumericException("NaN"))));

        assertEquals(Main.DATA, SweepExecution.exitCode(SweepOutcome.of(plan, List.of(child, thrown), Map.of())));
        assertEquals(Main.NUMERIC, SweepExecution.exitCode(SweepOutcome.of(plan, List.of(thrown), Map.of())));
        assertEquals(Main.OK, SweepExecution.exitCode(SweepOutcome.of(plan, List.of(), Map.of())));
    }

    @Test
    void printsDurationsForPeople() {
        assertEquals("5 s", SweepLog.duration(Duration.ofMillis(4600)));
        assertEquals("2 min 5 s", SweepLog.duration(Duration.ofSeconds(125)));
        assertEquals("1 h 1 min", SweepLog.duration(Duration.ofSeconds(3670)));
    }
}
