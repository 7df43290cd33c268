package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm executor against fake sbatch, squeue and scontrol scripts: what it submits and how it reads
 * each task's end. The real Slurm is {@code SlurmSweepIT}'s.
 */
class SlurmExecutorTests {

    private static final String SPEC = """
            {"set": {"train.steps": 40, "task.p": 11, "task.train-size": 60, "architecture.hidden": 64},
             "conditions": [{"name": "x2"}], "seeds": 3}""";

    @TempDir
    Path dir;

    private static Path script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body);
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }

    @Test
    void turnsSlurmOptsIntoSbatchOptions() {
        assertEquals(List.of("--partition=debug", "--time=00:10:00", "--exclusive", "--mem=4G"),
                SlurmExecutor.sbatchOptions(List.of("partition=debug", "time=00:10:00", "exclusive", "--mem=4G")));
    }

    @Test
    void refusesOptionsTheSweepSetsAndMalformedOnes() {
        assertTrue(assertThrows(ConfigException.class, () -> SlurmExecutor.sbatchOptions(List.of("array=0-3")))
                .getMessage().contains("set by the sweep itself"));
        assertTrue(assertThrows(ConfigException.class, () -> SlurmExecutor.sbatchOptions(List.of("x y=1")))
                .getMessage().contains("KEY=VALUE"));
    }

    @Test
    void quotesEveryWordForTheShell() {
        assertEquals("'it'\\''s a run'", SlurmExecutor.quote("it's a run"));
        assertEquals(List.of("it's a run", "--out", "x/seed-1"), SweepStatus.words(SlurmExecutor.quote("it's a run")
                + " " + SlurmExecutor.quote("--out") + " " + SlurmExecutor.quote("x/seed-1")));
    }

    @Test
    void submitsOneArrayAndReportsEachTasksEnd() throws Exception {
        SweepPlan plan = SweepPlan.of(SweepSpec.parse(SPEC, dir, "test"), dir.resolve("out"),
                PluginRegistry.load(dir.resolve("no-plugins")));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // sbatch records its arguments and runs tasks 0 and 1 of the array; task 2 "is cancelled" (never runs)
        script(bin.resolve("sbatch"), """
                echo "$@" > "$(dirname "$0")/sbatch.args"
                for last; do :; done
                for i in 0 1; do SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=$i sh "$6" "$last"; done
                echo "77;cluster"
                """);
        script(bin.resolve("squeue"), "exit 0\n");
        script(bin.resolve("scontrol"), "echo 'JobId=79 ArrayJobId=77 ArrayTaskId=2 JobState=CANCELLED Reason=None'\n");
        // the launcher: run seed-1 fails as sedge train does on a NaN
        Path launcher = script(dir.resolve("sedge"), """
                echo "args: $*"
                case "$*" in *seed=1*) echo "sedge: loss became NaN at step 3"; exit 5;; esac
                """);
        Files.createDirectories(plan.out().resolve("x2"));
        List<RunExecutor.Job> jobs = plan.runs().stream().map(run -> new RunExecutor.Job(run,
                plan.conditionFile(run.condition()), RunExecutor.Action.TRAIN, run.pendingLogFile())).toList();
        Map<String, Optional<RunFailure>> ended = new ConcurrentHashMap<>();
        List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        new SlurmExecutor(launcher, null, plan.out(), List.of("partition=debug"), 2, Duration.ofMillis(10), bin)
                .executeAll(jobs, new RunExecutor.Progress() {
                    @Override
                    public void started(RunExecutor.Job job) {
                        started.add(job.run().id());
                    }

                    @Override
                    public void ended(RunExecutor.Job job, Optional<RunFailure> failure) {
                        ended.put(job.run().id(), failure);
                    }
                });

        String args = Files.readString(bin.resolve("sbatch.args"));
        assertTrue(args.startsWith("--parsable --array=0-2 --job-name=sedge-out --output="), args);
        assertTrue(args.contains(" --partition=debug " + plan.out().resolve(".slurm/task.sh").toAbsolutePath()), args);
        assertEquals("77 " + Files.readString(plan.out().resolve(".slurm/job")).strip().split(" ")[1],
                Files.readString(plan.out().resolve(".slurm/job")).strip());
        assertEquals(List.of("x2/seed-0", "x2/seed-1", "x2/seed-2"), started);
        assertEquals(Optional.empty(), ended.get("x2/seed-0"));
        assertEquals("exit code 5: loss became NaN at step 3", ended.get("x2/seed-1").orElseThrow().reason());
        assertEquals(5, ended.get("x2/seed-1").orElseThrow().exitCode().getAsInt());
        RunFailure cancelled = ended.get("x2/seed-2").orElseThrow();
        assertTrue(cancelled.reason().startsWith("Slurm ended array task 77_2 before sedge train returned (state"
                + " CANCELLED)"), cancelled.reason());
        assertEquals(143, cancelled.exitCode().getAsInt());
        String log = Files.readString(plan.runs().get(0).pendingLogFile());
        assertTrue(log.startsWith("sweep: slurm task 77_0 on "), log);
        assertTrue(log.contains("-Dai.djl.pytorch.num_threads=1' " + launcher + " train --no-report "), log);
        assertTrue(log.contains("args: train --no-report " + plan.conditionFile(plan.runs().get(0).condition())
                + " --set seed=0 --out " + plan.runs().get(0).directory()), log);
        SweepStatus status = SweepStatus.read(plan.out(), bin); // squeue: nothing queued any more
        assertEquals(java.util.Optional.of("77"), status.job());
        assertEquals(List.of(new SweepStatus.Run("x2/seed-0", SweepStatus.State.TRAINED, "task 77_0, to be collected"),
                new SweepStatus.Run("x2/seed-1", SweepStatus.State.FAILED,
                        "task 77_1: exit code 5: loss became NaN at step 3"),
                new SweepStatus.Run("x2/seed-2", SweepStatus.State.FAILED,
                        "task 77_2 ended before sedge train returned (state CANCELLED)")), status.runs());
    }
}
