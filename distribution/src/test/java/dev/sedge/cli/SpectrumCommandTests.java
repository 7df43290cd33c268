package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.core.format.SafetensorsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrumCommandTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("..", "fixtures", "data").toAbsolutePath().normalize();

    @TempDir
    Path temp;


    private CliRun sedge(String... args) {
        return CliRun.of(temp, args);
    }

    /** The fixture trajectory as written by PyTorch: six .pt files, steps 0..5. */
    private Path torchTrajectory() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("torch"));
        try (Stream<Path> files = Files.list(FIXTURES.resolve("traj"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pt")).toList()) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        return folder;
    }

    private void writeSafetensors(Path file, float... values) {
        new SafetensorsFormat().writer().orElseThrow().write(file,
                List.of(Tensor.ofFloats("w", DType.F32, List.of((long) values.length), values)), Map.of());
    }

    @Test
    void writesTheSpectrumOfAPytorchTrajectoryAndDescribesItInJson() throws IOException {
        Path folder = torchTrajectory();
        CliRun run = sedge("spectrum", folder.toString(), "--window", "3", "--group", "layer1.*", "--json");

        assertEquals(Main.OK, run.code(), run.err());
        JsonNode result = JSON.readTree(run.out());
        assertEquals(6, result.get("checkpoints").asInt());
        assertEquals(3, result.get("windows").asInt());
        assertEquals(folder.resolve("spectrum.csv").toString(), result.get("out").asText());
        assertEquals(3, result.get("last").get("sigma").size());
        assertTrue(result.get("streamed").asBoolean(), "the fixtures' layer1 tensors are float32 stored plain");
        assertEquals(6 * 4 * result.get("dimension").asLong(), result.get("group_bytes").asLong());
        assertTrue(result.get("seconds").asDouble() > 0);
        assertTrue(Files.readString(folder.resolve("spectrum.csv")).startsWith("step,sigma_1,sigma_2,sigma_3,lambda_1"));
        assertTrue(run.err().contains("spectrum: 6/6 100% "), "progress on stderr: " + run.err());
    }

    @Test
    void aFolderThatCannotBeWrittenIsAFileSystemErrorNotABug() throws IOException {
        CliRun run = sedge("spectrum", torchTrajectory().toString(), "--window", "2", "--out", "/proc/sedge-nowhere/s.csv");

        assertEquals(Main.IO, run.code(), run.err());
        assertTrue(run.err().startsWith("sedge: ") && run.err().contains("/proc/sedge-nowhere")
                && !run.err().contains("internal error"), run.err());
    }

    @Test
    void printsASummaryAsText() throws IOException {
        CliRun run = sedge("spectrum", torchTrajectory().toString(), "--window", "2", "--out",
                temp.resolve("s.csv").toString());

        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().contains("6 checkpoints") && run.out().contains("4 windows of W = 2"), run.out());
        assertTrue(run.out().contains("streamed from the files"), run.out());
        assertTrue(Files.exists(temp.resolve("s.csv")));
    }

    @Test
    void exitsWith4NamingATruncatedCheckpoint() throws IOException {
        Path folder = torchTrajectory();
        Path truncated = folder.resolve("step-3.pt");
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun run = sedge("spectrum", folder.toString(), "--window", "2");

        assertEquals(Main.DATA, run.code(), run.err());
        assertTrue(run.err().contains("step-3.pt"), run.err());
        assertFalse(Files.exists(folder.resolve("spectrum.csv")), "no half-written spectrum");
    }

    @Test
    void exitsWith4WhenShapesDifferBetweenCheckpoints() {
        writeSafetensors(temp.resolve("step-1.safetensors"), 1, 2, 3);
        writeSafetensors(temp.resolve("step-2.safetensors"), 1, 2, 3);
        writeSafetensors(temp.resolve("step-3.safetensors"), 1, 2);
        CliRun run = sedge("spectrum", temp.toString(), "--window", "2");

        assertEquals(Main.DATA, run.code(), run.err());
        assertTrue(run.err().contains("step-3.safetensors") && run.err().contains("'w'"), run.err());
    }

    @Test
    void exitsWith5NamingTheCheckpointWithNaN() {
        writeSafetensors(temp.resolve("step-1.safetensors"), 1, 2, 3);
        writeSafetensors(temp.resolve("step-2.safetensors"), 1, Float.NaN, 3);
        writeSafetensors(temp.resolve("step-3.safetensors"), 1, 2, 3);
        CliRun run = sedge("spectrum", temp.toString(), "--window", "2");

        assertEquals(Main.NUMERIC, run.code(), run.err());
        assertTrue(run.err().contains("step-2.safetensors"), run.err());
    }

    @Test
    void exitsWith4WhenTheGroupMatchesNothing() throws IOException {
        CliRun run = sedge("spectrum", torchTrajectory().toString(), "--group", "attn.*", "--window", "3");

        assertEquals(Main.DATA, run.code(), run.err());
        assertTrue(run.err().contains("attn.*") && run.err().contains("layer1.weight"), run.err());
    }

    @Test
    void exitsWith4ForAPickleThatAsksForAForbiddenGlobal() throws IOException {
        Path folder = torchTrajectory();
        try (Stream<Path> bad = Files.list(FIXTURES.resolve("bad"))) {
            Path malicious = bad.filter(f -> f.getFileName().toString().contains("malicious")).findFirst()
                    .orElseThrow(() -> new AssertionError("no malicious pickle fixture in " + FIXTURES.resolve("bad")));
            Files.copy(malicious, folder.resolve("step-9.pt"));
        }
        CliRun run = sedge("spectrum", folder.toString(), "--window", "2");

        assertEquals(Main.DATA, run.code(), run.err());
        assertTrue(run.err().contains("step-9.pt") && run.err().contains("system"), run.err());
    }

    /** Hostile files of other kinds (docs/import.md, "Hostile files"): exit 4, the file named, nothing written. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"link-out", "header-2^62", "zip-slip"})
    void exitsWith4ForAHostileFileAndWritesNothing(String kind) throws IOException {
        Path folder = torchTrajectory();
        Path hostile = folder.resolve(kind.equals("zip-slip") ? "step-6.npz" : "step-6.safetensors");
        String expected = switch (kind) {
            case "link-out" -> {
                Path outside = Files.createDirectories(temp.resolve("elsewhere")).resolve("step-6.safetensors");
                writeSafetensors(outside, 1, 2, 3);
                Files.createSymbolicLink(hostile, outside);
                yield hostile + " is a link to " + outside.toRealPath() + ", outside the checkpoint folder " + folder;
            }
            case "header-2^62" -> {
                Files.write(hostile, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(1L << 62).put("{\"a\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).array());
                yield hostile + ": the header length field says 4611686018427387904 bytes";
            }
            default -> {
                try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(hostile))) {
                    zip.putNextEntry(new java.util.zip.ZipEntry("../../w.npy"));
                    zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
                }
                yield hostile + ": zip entry '../../w.npy' has a '..' segment";
            }
        };
        List<Path> before;
        try (Stream<Path> files = Files.list(folder)) {
            before = files.sorted().toList();
        }

        CliRun run = sedge("spectrum", folder.toString(), "--window", "2");

        assertEquals(Main.DATA, run.code(), run.err());
        assertEquals(4, Main.DATA, "the documented exit code");
        assertTrue(run.err().contains("sedge: " + expected), run.err());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(before, files.sorted().toList(), "no spectrum.csv, nothing else");
        }
    }

    @Test
    void refusesToReplaceAnExistingSpectrumUnlessForcedAndNeedsAWholeWindow() throws IOException {
        Path folder = torchTrajectory();
        Files.writeString(folder.resolve("spectrum.csv"), "mine");

        CliRun refused = sedge("spectrum", folder.toString(), "--window", "3");
        assertEquals(Main.USAGE, refused.code(), refused.err());
        assertTrue(refused.err().contains("exists already") && refused.err().contains("--force"), refused.err());
        assertEquals("mine", Files.readString(folder.resolve("spectrum.csv")), "left as it was");

        CliRun tooFew = sedge("spectrum", folder.toString(), "--window", "6", "--force");
        assertEquals(Main.DATA, tooFew.code(), tooFew.err());
        assertTrue(tooFew.err().contains("6 checkpoint(s)") && tooFew.err().contains("need 7"), tooFew.err());
        assertEquals("mine", Files.readString(folder.resolve("spectrum.csv")), "nothing written");

        CliRun forced = sedge("spectrum", folder.toString(), "--window", "5", "--force");
        assertEquals(Main.OK, forced.code(), forced.err());
        assertTrue(forced.out().contains("1 window of W = 5 ->"), forced.out());
        assertTrue(Files.readString(folder.resolve("spectrum.csv")).startsWith("step,"), "replaced");
    }

    @Test
    void exitsWith2ForAWindowBelowTwo() throws IOException {
        CliRun run = sedge("spectrum", torchTrajectory().toString(), "--window", "1");

        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("window"), run.err());
    }
}
