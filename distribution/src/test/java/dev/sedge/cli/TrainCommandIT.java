package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sedge train} in-process, on real DJL with the image's PyTorch natives. */
class TrainCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small, fast variant of the default experiment. */
    private static final List<String> SMALL = List.of("--set", "task.p=11", "--set", "task.train-size=60",
            "--set", "architecture.hidden=64", "--set", "train.steps=30", "--set", "train.checkpoint-every=10",
            "--set", "spectrum.window=5");

    @TempDir
    Path temp;


    private CliRun sedge(List<String> args) {
        return CliRun.of(temp, args);
    }

    /** {@code train ARGS} on the small variant. */
    private CliRun trainSmall(String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        all.addAll(SMALL);
        return sedge(all);
    }

    @Test
    void dryRunOfTheDefaultExperimentPrintsTheLockInPlanAndWritesNothing() throws IOException {
        CliRun run = sedge(List.of("train", "--dry-run", "--json"));

        assertEquals(Main.OK, run.code(), run.err());
        JsonNode plan = JSON.readTree(run.out());
        assertEquals(2016, plan.get("train_examples").asInt());
        assertEquals(71 * 71 - 2016, plan.get("test_examples").asInt());
        assertEquals(142 * 2048 + 2048 * 71, plan.get("parameter_count").asLong());
        assertEquals("layer1", plan.get("group").asText());
        assertEquals(142 * 2048, plan.get("dimension").asInt());
        assertEquals(400, plan.get("steps").asLong());
        assertEquals(400 - 20 + 1, plan.get("windows").asLong());
        assertEquals("71", plan.at("/config/task.p").asText(), "the resolved configuration: " + plan);
        assertEquals("zero-mean-mse-no-half", plan.at("/config/architecture.loss").asText());
        try (var files = Files.list(temp)) {
            assertEquals(0, files.filter(f -> !f.getFileName().toString().equals("plugins")).count());
        }
    }

    @Test
    void theHelpsExampleConfigIsACompleteExperiment() throws IOException {
        Path config = Files.writeString(temp.resolve("example.json"),
                TrainCommand.EXAMPLE_LINE_1 + " " + TrainCommand.EXAMPLE_LINE_2);
        String help = sedge(List.of("train", "--help")).out();
        assertTrue(help.contains("  " + TrainCommand.EXAMPLE_LINE_1 + "\n   " + TrainCommand.EXAMPLE_LINE_2 + "\n"),
                "shown as is: " + help);

        CliRun run = sedge(List.of("train", config.toString(), "--dry-run", "--json"));

        assertEquals(Main.OK, run.code(), run.err());
        assertEquals("97", JSON.readTree(run.out()).at("/config/task.p").asText());
    }

    @Test
    void trainsASmallRunIntoACompleteRunDirectory() throws IOException {
        Path dir = temp.resolve("run");
        CliRun run = trainSmall("--out", dir.toString(), "--json");

        assertEquals(Main.OK, run.code(), run.err());
        JsonNode result = JSON.readTree(run.out());
        assertEquals(30, result.get("steps").asLong());
        assertEquals(26, result.get("windows").asInt());
        RunLayout layout = new RunLayout(dir);
        assertEquals("trained", ManifestFile.read(layout.manifest()).kind());
        var runtime = ManifestFile.read(layout.manifest()).runtime();
        assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), runtime.get("cores"), runtime.toString());
        assertTrue(runtime.containsKey("ai.djl.pytorch.num_threads"), "the thread count is recorded: " + runtime);
        assertEquals(31, MetricsCsv.read(layout.metrics()).rows());
        assertTrue(Files.exists(layout.spectrum()) && Files.exists(layout.events()));
        EventsFile.Entry live = EventsFile.readEntries(layout.events()).getFirst();
        assertEquals("eigengap-slope", live.detector());
        assertEquals("0.04", live.settings().get("threshold"), "the live detector's settings: " + live.settings());
        assertTrue(live.source().startsWith("sedge train (live) "), live.source());
        assertTrue(Files.exists(layout.checkpoint(30)));
        assertTrue(run.err().contains("train: 30/30 100% "), run.err());
    }

    @Test
    void refusesAnUnknownKeyBeforeAnyWorkListingTheKnownOnes() {
        CliRun run = sedge(List.of("train", "--set", "train.stepz=3", "--out", temp.resolve("never").toString()));

        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("train.stepz") && run.err().contains("steps"), run.err());
        assertTrue(run.err().contains("(did you mean 'train.steps'?)"), run.err());
        assertTrue(!run.err().contains("training into"), "a refused run is not announced: " + run.err());
        assertTrue(Files.notExists(temp.resolve("never")));
    }

    @Test
    void stopsOnNaNWithExitCode5AndKeepsTheRunDirectory() throws IOException {
        Path diverging = temp.resolve("diverging");
        CliRun bad = trainSmall("--out", diverging.toString(), "--set", "optimizer.learning-rate=1e30");

        assertEquals(Main.NUMERIC, bad.code(), bad.err());
        assertTrue(bad.err().contains("learning-rate"), bad.err());
        RunLayout layout = new RunLayout(diverging);
        ManifestFile.read(layout.manifest());
        MetricsCsv.read(layout.metrics());
    }

    @Test
    void aFinishedRunIsExtendedWithTrainStepsAndNoOtherKey() {
        Path dir = temp.resolve("done");
        assertEquals(Main.OK, trainSmall("--out", dir.toString()).code());
        CliRun again = sedge(List.of("train", "--resume", dir.toString()));
        assertEquals(Main.USAGE, again.code(), again.err());
        assertTrue(again.err().contains("already finished") && again.err().contains("--set train.steps=N"), again.err());

        CliRun other = sedge(List.of("train", "--resume", dir.toString(), "--set", "optimizer.learning-rate=0.1"));
        assertEquals(Main.USAGE, other.code(), other.err());
        assertTrue(other.err().contains("only train.steps may change"), other.err());

        CliRun extended = sedge(List.of("train", "--resume", dir.toString(), "--set", "train.steps=40", "--json"));
        assertEquals(Main.OK, extended.code(), extended.err());
        assertTrue(extended.out().contains("\"steps\" : 40") || extended.out().contains("\"steps\":40"), extended.out());
    }

    @Test
    void forksARunFromACheckpointWithAKeyChangedAndRefusesWhatAForkCannotDo() throws IOException {
        Path parent = temp.resolve("parent");
        assertEquals(Main.OK, trainSmall("--out", parent.toString()).code());
        Path fork = temp.resolve("fork");
        CliRun dry = sedge(List.of("train", "--fork", parent.toString(), "--at", "20", "--set",
                "optimizer.weight-decay=0", "--set", "train.steps=40", "--out", fork.toString(), "--dry-run",
                "--json"));
        assertEquals(Main.OK, dry.code(), dry.err());
        assertEquals("0.0", JSON.readTree(dry.out()).at("/config/optimizer.weight-decay").asText());
        assertTrue(Files.notExists(fork));

        CliRun run = sedge(List.of("train", "--fork", parent.toString(), "--at", "20", "--set",
                "optimizer.weight-decay=0", "--set", "train.steps=40", "--out", fork.toString(), "--json"));

        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(40, JSON.readTree(run.out()).get("steps").asLong());
        var manifest = ManifestFile.read(new RunLayout(fork).manifest());
        assertEquals(20, manifest.fork().orElseThrow().step());
        assertEquals(java.util.Map.of("optimizer.weight-decay", "2.0E-4", "train.steps", "30"),
                manifest.fork().orElseThrow().changed());
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), new RunLayout(fork).checkpointSteps());
        assertEquals(-1L, Files.mismatch(new RunLayout(parent).checkpoint(20), new RunLayout(fork).checkpoint(20)));

        Path never = temp.resolve("never");
        CliRun wider = sedge(List.of("train", "--fork", parent.toString(), "--set", "architecture.hidden=32",
                "--set", "train.steps=40", "--out", never.toString()));
        assertEquals(Main.USAGE, wider.code(), wider.err());
        assertTrue(wider.err().contains("cannot change [architecture.hidden]"), wider.err());
        assertTrue(!wider.err().contains("forking"), "a refused fork is not announced: " + wider.err());
        assertTrue(run.err().contains("sedge: forking " + parent + " at step 20 into "), run.err());
        CliRun at = sedge(List.of("train", "--at", "20", "--out", never.toString()));
        assertEquals(Main.USAGE, at.code(), at.err());
        assertTrue(at.err().contains("--fork RUN"), at.err());
        assertTrue(Files.notExists(never));
    }

    @Test
    void measuresRhoWhileTrainingAndSignTestsItsCheckpoints() throws IOException {
        Path dir = temp.resolve("level");
        List<String> args = new ArrayList<>(List.of("train", "--out", dir.toString(), "--json", "--set",
                "train.level-every=10"));
        args.addAll(SMALL);
        args.addAll(List.of("--set", "architecture.hidden=16")); // K = 16 < n = 60: rho from the K x K Gram
        CliRun trained = sedge(args);

        assertEquals(Main.OK, trained.code(), trained.err());
        JsonNode level = JSON.readTree(trained.out()).get("level");
        assertEquals(10, level.get("every").asLong(), level.toString());
        assertTrue(level.get("max").asDouble() > 0 && level.get("max").asDouble() < 1, level.toString());
        var metrics = MetricsCsv.read(new RunLayout(dir).metrics());
        assertTrue(metrics.columns().contains("level_rho") && metrics.columns().contains("level_rho_centered"),
                metrics.columns().toString());

        CliRun signs = sedge(List.of("--json", "repulsion", dir.toString(), "--step", "10,30", "--pairs", "50"));

        assertEquals(Main.OK, signs.code(), signs.err());
        JsonNode steps = JSON.readTree(signs.out()).get("steps");
        assertEquals(2, steps.size());
        for (JsonNode step : steps) {
            assertEquals(1.0, step.get("sign_match").asDouble(), 0, "an identity in float64: " + step);
            assertEquals(50, step.get("pairs").asInt());
            double repulsive = step.get("repulsive_fraction").asDouble();
            assertTrue(repulsive >= 0 && repulsive <= 1, step.toString());
            assertTrue(step.get("min_margin").asDouble() > 1e-12, "signs decided well above rounding: " + step);
        }
        CliRun missing = sedge(List.of("repulsion", dir.toString(), "--step", "15"));
        assertTrue(missing.code() != Main.OK && missing.err().contains("15"), missing.err());
    }

    @Test
    void refusesTheSignTestOfARunWithoutWeightDecay() {
        Path dir = temp.resolve("no-decay");
        assertEquals(Main.OK, trainSmall("--out", dir.toString(), "--set", "optimizer.weight-decay=0").code());

        CliRun run = sedge(List.of("repulsion", dir.toString(), "--step", "30"));

        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("weight decay"), run.err());
    }

    @Test
    void spectrumOfARunKeepsTheRunsOwnSpectrumAndTakesItsGroupAndWindow() throws IOException {
        Path dir = temp.resolve("own");
        assertEquals(Main.OK, trainSmall("--out", dir.toString()).code());
        RunLayout layout = new RunLayout(dir);
        String live = Files.readString(layout.spectrum());
        String events = Files.readString(layout.events());

        CliRun inPlace = sedge(List.of("spectrum", dir.toString()));
        assertEquals(Main.USAGE, inPlace.code(), inPlace.err());
        assertTrue(inPlace.err().contains("exists already") && inPlace.err().contains("--out"), inPlace.err());

        Path other = temp.resolve("from-checkpoints.csv");
        CliRun tooFew = sedge(List.of("spectrum", dir.toString(), "--out", other.toString()));
        assertEquals(Main.DATA, tooFew.code(), tooFew.err());
        assertTrue(tooFew.err().contains("W = 5 updates need 6"), "the run's own W = 5: " + tooFew.err());
        assertTrue(Files.notExists(other));

        CliRun fits = sedge(List.of("--json", "spectrum", dir.toString(), "--window", "2", "--out", other.toString()));
        assertEquals(Main.OK, fits.code(), fits.err());
        assertEquals(List.of("layer1.weight"), JSON.convertValue(JSON.readTree(fits.out()).get("tensors"), List.class),
                "the run's own group, layer1");
        assertTrue(fits.err().contains("group layer1, W = 2"), fits.err());
        assertEquals(live, Files.readString(layout.spectrum()), "the run's spectrum is untouched");

        CliRun detect = sedge(List.of("detect", dir.toString(), "-d", "eigengap-slope"));
        assertEquals(Main.OK, detect.code(), detect.err());
        assertTrue(Files.readString(layout.events()).contains("eigengap-slope"), events);
    }

    @Test
    void refusesToTrainIntoARunDirectoryAnotherProcessHolds() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("held"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                LockHolder.class.getName().replace('.', '/') + ".java", dir.toString())
                .directory(Path.of("src/test/java").toAbsolutePath().toFile()).redirectErrorStream(true).start();
        try {
            String line = new String(holder.getInputStream().readNBytes("locked\n".length()));
            assertEquals("locked\n", line, "the holder took the lock");

            CliRun run = trainSmall("--out", dir.toString());

            assertEquals(Main.USAGE, run.code(), run.err());
            assertTrue(run.err().contains("is in use") && run.err().contains("test holder"), run.err());
            assertTrue(Files.notExists(dir.resolve("run.json")), "nothing written");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        assertEquals(Main.OK, trainSmall("--out", dir.toString()).code(), "free again once the holder is gone");
    }

    @Test
    void saysHowToResumeWhenInterrupted() throws Exception {
        Path dir = temp.resolve("interrupted");
        Path err = temp.resolve("interrupted.err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("sedge.image"), "bin", "sedge")
                .toString(), "train", "--out", dir.toString()));
        command.addAll(SMALL);
        command.addAll(List.of("--set", "train.steps=100000"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SEDGE_PLUGINS", temp.resolve("plugins").toString());
        Process train = builder.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Files.notExists(new RunLayout(dir).checkpoint(10)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(new RunLayout(dir).checkpoint(10)), "a checkpoint within a minute");
            new ProcessBuilder("kill", "-INT", Long.toString(train.pid())).start().waitFor();
            assertEquals(130, train.waitFor(), "Ctrl-C's exit code");
        } finally {
            train.destroyForcibly();
        }
        String said = Files.readString(err);
        assertTrue(said.contains("interrupted") && said.contains("sedge train --resume " + dir), said);
    }
}
