package dev.sedge.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.Provenance;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.Progress;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SnapshotDifferencer;
import dev.sedge.spectral.SpectralEngine;
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
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpectrumJobTests {

    private static final int P = 300;

    @TempDir
    Path dir;

    private final SafetensorsFormat safetensors = new SafetensorsFormat();
    private final SpectrumJob job = new SpectrumJob(new CheckpointFormats(List.of(safetensors)));

    /**
     * Writes checkpoints 0..count−1 whose "w" tensor moves by update t = (count − t) · e_0 +
     * noise · e_1 (so every window's σ_1 is known) and whose "other" tensor changes randomly.
     */
    private List<float[]> writeTrajectory(Path folder, int count, int nanAt) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(3);
        float[] w = new float[P];
        List<float[]> updates = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            if (t > 0) {
                float[] delta = new float[P];
                delta[0] = count - t;
                delta[1] = 0.25f * (t % 3);
                for (int i = 0; i < P; i++) {
                    w[i] += delta[i];
                }
                updates.add(delta);
            }
            float[] values = w.clone();
            if (t == nanAt) {
                values[7] = Float.NaN;
            }
            float[] other = new float[] {(float) random.nextGaussian()};
            safetensors.writer().orElseThrow().write(folder.resolve("step-" + (t * 10) + ".safetensors"), List.of(
                    Tensor.ofFloats("w", DType.F32, List.of((long) P), values),
                    Tensor.ofFloats("other", DType.F32, List.of(1L), other)), Map.of());
        }
        return updates;
    }

    @Test
    void writesOneRowPerWindowWithTheSpectrumOfTheGroup() throws IOException {
        writeTrajectory(dir, 8, -1);
        SpectrumJob.Result result = job.run(new SpectrumJob.Request(dir, "w", SpectralOptions.of(3), null),
                Progress.NONE);

        assertEquals(dir.resolve("spectrum.csv"), result.out());
        assertEquals(8, result.checkpoints());
        assertEquals(5, result.windows(), "7 updates give 7 − 3 + 1 windows");
        assertEquals(P, result.dimension());
        assertEquals(List.of("w"), result.tensors());
        List<WindowSpectrum> rows = SpectrumCsv.read(result.out());
        assertEquals(5, rows.size());
        assertEquals(70, rows.getLast().step());
        // the last window holds updates with e_0 components 3, 2, 1 and e_1 components 0.25·(t mod 3)
        double[][] x = {{3, 0.25 * (5 % 3)}, {2, 0.25 * (6 % 3)}, {1, 0.25 * (7 % 3)}};
        double trace = 0;
        for (double[] row : x) {
            trace += row[0] * row[0] + row[1] * row[1];
        }
        double sumOfLambdas = 0;
        for (double l : rows.getLast().lambda()) {
            sumOfLambdas += l;
        }
        assertEquals(trace, sumOfLambdas, 1e-9 * trace);
    }

    @Test
    void readsAGroupNamedInTheRunManifest() throws IOException {
        RunLayout run = new RunLayout(dir);
        writeTrajectory(run.checkpoints(), 5, -1);
        ManifestFile.write(run.manifest(), RunManifest.of("trained", Provenance.now("test", Map.of(), Map.of(), 1,
                Map.of()), List.of(new LayoutEntry("w", List.of((long) P), DType.F32, "first"),
                new LayoutEntry("other", List.of(1L), DType.F32, "rest"))));

        SpectrumJob.Result result = job.run(new SpectrumJob.Request(dir, "first", SpectralOptions.of(2), null),
                Progress.NONE);

        assertEquals(run.spectrum(), result.out());
        assertEquals(List.of("w"), result.tensors());
        assertEquals(3, result.windows());
    }

    @Test
    void recordsBesideTheSpectrumHowItWasMadeAndTheDigestOfEveryCheckpoint() throws Exception {
        writeTrajectory(dir, 5, -1);
        Path out = dir.resolve("mine.csv");
        job.run(new SpectrumJob.Request(dir, "w*", SpectralOptions.of(3).withCentering(true), out), Progress.NONE);

        JsonNode root = new ObjectMapper().readTree(SpectrumProvenance.of(out).toFile());
        assertEquals(dir.resolve("mine.provenance.json"), SpectrumProvenance.of(out));
        assertEquals(1, root.get("format_version").asInt());
        assertEquals("mine.csv", root.get("file").asText());
        assertEquals(sha256(out), root.get("sha256").asText());
        JsonNode provenance = root.get("provenance");
        assertEquals("w*", provenance.get("config").get("spectrum.group").asText());
        assertEquals("3", provenance.get("config").get("spectrum.window").asText());
        assertEquals("true", provenance.get("config").get("spectrum.centered").asText());
        assertTrue(provenance.get("plugins").has("format/safetensors"), provenance.toString());
        JsonNode inputs = provenance.get("inputs");
        assertEquals(5, inputs.size(), inputs.toString());
        for (int i = 0; i < 5; i++) {
            String name = "step-" + 10 * i + ".safetensors";
            assertEquals(sha256(dir.resolve(name)), inputs.path(name).asText(), name);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void stopsAtNaNNamingTheCheckpointAndLeavesNoFile() throws IOException {
        writeTrajectory(dir, 8, 5);
        NumericException e = assertThrows(NumericException.class,
                () -> job.run(new SpectrumJob.Request(dir, "*", SpectralOptions.of(3), null), Progress.NONE));

        assertTrue(e.getMessage().contains("step-50.safetensors"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("spectrum.csv")));
        assertFalse(Files.exists(dir.resolve("spectrum.provenance.json")), "no provenance of a file not written");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void withoutDigestsTheProvenanceSaysSoAndListsNoInputsAndTheSpectrumIsTheSame() throws Exception {
        writeTrajectory(dir, 5, -1);
        Path with = dir.resolve("with.csv");
        Path without = dir.resolve("without.csv");
        SpectralOptions options = SpectralOptions.of(3);
        job.run(new SpectrumJob.Request(dir, "w", options, with), Progress.NONE);
        job.run(new SpectrumJob.Request(dir, "w", options, without, false, false), Progress.NONE);

        JsonNode digested = new ObjectMapper().readTree(SpectrumProvenance.of(with).toFile()).get("provenance");
        JsonNode plain = new ObjectMapper().readTree(SpectrumProvenance.of(without).toFile()).get("provenance");
        assertEquals("sha256", digested.get("config").get("spectrum.digest").asText());
        assertEquals(5, digested.get("inputs").size());
        assertEquals("none", plain.get("config").get("spectrum.digest").asText());
        assertEquals(0, plain.get("inputs").size(), plain.toString());
        assertEquals(Files.readString(with), Files.readString(without));
    }

    /** A random walk in "w" (3001 floats) and "v" (1999 floats); returns the snapshots of "w". */
    private List<float[]> writeRandomWalk(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(17);
        float[] w = new float[3_001];
        float[] v = new float[1_999];
        List<float[]> snapshots = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < w.length; i++) {
                w[i] += (float) (0.01 * (random.nextGaussian() + Math.sin(0.2 * t + i % 5)));
            }
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.02 * random.nextGaussian());
            }
            snapshots.add(w.clone());
            safetensors.writer().orElseThrow().write(folder.resolve("step-" + (t * 10) + ".safetensors"), List.of(
                    Tensor.ofFloats("w", DType.F32, List.of((long) w.length), w.clone()),
                    Tensor.ofFloats("v", DType.F32, List.of((long) v.length), v.clone())), Map.of());
        }
        return snapshots;
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 2, 3, 5, 16, 0})
    void givesTheWindowsOfOneUpdateAtATimeBitForBitWhateverTheBatchSize(int batchSize) throws IOException {
        List<float[]> snapshots = writeRandomWalk(dir, 17);
        SpectralOptions options = SpectralOptions.of(4).withStride(2).withCentering(true);
        SpectralEngine engine = new SpectralEngine(options, snapshots.getFirst().length);
        SnapshotDifferencer differencer = new SnapshotDifferencer(snapshots.getFirst().length);
        List<WindowSpectrum> expected = new ArrayList<>();
        for (int t = 0; t < snapshots.size(); t++) {
            Optional<float[]> update = differencer.accept(10L * t, snapshots.get(t));
            if (update.isPresent()) {
                engine.accept(10L * t, update.get()).ifPresent(expected::add);
            }
        }
        SpectrumJob batched = new SpectrumJob(new CheckpointFormats(List.of(safetensors)), batchSize);

        SpectrumJob.Result result = batched.run(new SpectrumJob.Request(dir, "w", options, dir.resolve("w.csv")),
                Progress.NONE);
        assertEquals(7, expected.size(), "16 updates, W = 4, stride 2");
        assertEquals(expected, SpectrumCsv.read(result.out()));
        assertEquals(expected.getLast(), result.last().orElseThrow());
        SpectrumJob.Result all = batched.run(new SpectrumJob.Request(dir, "*", options, dir.resolve("all.csv")),
                Progress.NONE);
        SpectrumJob.Result allOneByOne = new SpectrumJob(new CheckpointFormats(List.of(safetensors)), 1).run(
                new SpectrumJob.Request(dir, "*", options, dir.resolve("all1.csv")), Progress.NONE);
        assertEquals(5_000, all.dimension());
        assertEquals(SpectrumCsv.read(allOneByOne.out()), SpectrumCsv.read(all.out()));
    }

    /**
     * Safetensors as a format that maps nothing reads it ({@link Checkpoint#floats} left to its default), or,
     * with {@code onlyEven}, only the checkpoints of even-numbered steps/10 so: the job then copies those
     * groups onto the heap, and must give the same bits as streaming them from their files.
     */
    private CheckpointFormats copying(boolean onlyEven) {
        CheckpointFormat copied = new CheckpointFormat() {
            @Override
            public String name() {
                return "copied-safetensors";
            }

            @Override
            public PluginDescriptor descriptor() {
                return safetensors.descriptor();
            }

            @Override
            public boolean recognises(Path file) {
                return safetensors.recognises(file);
            }

            @Override
            public List<String> extensions() {
                return safetensors.extensions();
            }

            @Override
            public Checkpoint open(Path file) {
                Checkpoint inner = safetensors.open(file);
                String name = file.getFileName().toString();
                boolean even = Integer.parseInt(name.substring(5, name.indexOf('.'))) / 10 % 2 == 0;
                return onlyEven && !even ? inner : new Checkpoint() {
                    @Override
                    public Path file() {
                        return inner.file();
                    }

                    @Override
                    public List<TensorInfo> tensors() {
                        return inner.tensors();
                    }

                    @Override
                    public Map<String, String> metadata() {
                        return inner.metadata();
                    }

                    @Override
                    public void read(String tensor, float[] dst, int offset) {
                        inner.read(tensor, dst, offset);
                    }

                    @Override
                    public Tensor tensor(String tensor) {
                        return inner.tensor(tensor);
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
        return new CheckpointFormats(List.of(copied));
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 3, 0})
    void streamingFromFilesCopyingOntoTheHeapOrMixingTheTwoGiveTheSameBits(int batchSize) throws IOException {
        writeRandomWalk(dir, 23);
        SpectralOptions options = SpectralOptions.of(5).withStride(2).withCentering(true);
        List<WindowSpectrum> streamed = SpectrumCsv.read(new SpectrumJob(new CheckpointFormats(List.of(safetensors)),
                batchSize).run(new SpectrumJob.Request(dir, "*", options, dir.resolve("a.csv")), Progress.NONE).out());
        for (boolean onlyEven : new boolean[] {false, true}) {
            Path out = dir.resolve("b" + onlyEven + ".csv");
            new SpectrumJob(copying(onlyEven), batchSize).run(new SpectrumJob.Request(dir, "*", options, out),
                    Progress.NONE);
            assertEquals(streamed, SpectrumCsv.read(out), onlyEven ? "every other checkpoint copied" : "all copied");
        }
        assertEquals(9, streamed.size());
    }

    @ParameterizedTest(name = "batch size {0}, streamed {1}")
    @CsvSource({"1, true", "2, true", "4, true", "7, true", "1, false", "4, false"})
    void stopsAtNaNInAnyBatchPositionNamingTheCheckpointAndLeavesNoFile(int batchSize, boolean streamed)
            throws IOException {
        writeTrajectory(dir, 8, 5);
        SpectrumJob batched = new SpectrumJob(streamed ? new CheckpointFormats(List.of(safetensors)) : copying(false),
                batchSize);
        NumericException e = assertThrows(NumericException.class,
                () -> batched.run(new SpectrumJob.Request(dir, "*", SpectralOptions.of(3), null), Progress.NONE));

        assertTrue(e.getMessage().contains("snapshot at step 50 holds NaN"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(in checkpoint " + dir.resolve("step-50.safetensors") + ")"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("spectrum.csv")));
        assertFalse(Files.exists(dir.resolve("spectrum.provenance.json")), "no provenance of a file not written");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @ParameterizedTest(name = "batch size {0}, streamed {1}")
    @CsvSource({"2, true", "8, true", "2, false", "8, false"})
    void reportsTheFirstErrorInFileOrderWhetherOrNotOneBatchHoldsBoth(int batchSize, boolean streamed)
            throws IOException {
        writeTrajectory(dir, 8, 3);
        Files.write(dir.resolve("step-50.safetensors"), new byte[] {1, 2, 3}); // damaged, after the NaN
        SpectrumJob batched = new SpectrumJob(streamed ? new CheckpointFormats(List.of(safetensors)) : copying(false),
                batchSize);
        NumericException e = assertThrows(NumericException.class,
                () -> batched.run(new SpectrumJob.Request(dir, "*", SpectralOptions.of(3), null), Progress.NONE));
        assertTrue(e.getMessage().contains("step-30.safetensors"), e.getMessage());

        writeTrajectory(dir, 8, -1);
        Files.write(dir.resolve("step-50.safetensors"), new byte[] {1, 2, 3});
        DataFormatException damaged = assertThrows(DataFormatException.class,
                () -> batched.run(new SpectrumJob.Request(dir, "*", SpectralOptions.of(3), null), Progress.NONE));
        assertTrue(damaged.getMessage().contains("step-50.safetensors"), damaged.getMessage());
        assertFalse(Files.exists(dir.resolve("spectrum.csv")));
    }

    @Test
    void reportsProgressForEveryCheckpoint() throws IOException {
        writeTrajectory(dir, 4, -1);
        List<Long> done = new ArrayList<>();
        job.run(new SpectrumJob.Request(dir, "w", SpectralOptions.of(2), dir.resolve("out.csv")),
                (d, total, detail) -> done.add(d));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), done);
    }
}
