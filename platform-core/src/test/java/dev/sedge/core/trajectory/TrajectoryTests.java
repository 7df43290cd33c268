package dev.sedge.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.format.SafetensorsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryTests {

    @TempDir
    Path dir;

    private final SafetensorsFormat safetensors = new SafetensorsFormat();
    private final CheckpointFormats formats = new CheckpointFormats(List.of(safetensors));

    private Path write(String name, Tensor... tensors) {
        Path file = dir.resolve(name);
        safetensors.writer().orElseThrow().write(file, List.of(tensors), Map.of());
        return file;
    }

    private static Tensor f32(String name, List<Long> shape, float... values) {
        return Tensor.ofFloats(name, DType.F32, shape, values);
    }

    @Test
    void readsStepNumbersFromFileNames() {
        assertEquals(100, StepFile.stepOf(Path.of("step-000000100.safetensors")));
        assertEquals(12, StepFile.stepOf(Path.of("ckpt_epoch12.pt")));
        assertEquals(7, StepFile.stepOf(Path.of("run3_step7.v2.npz")));
        DataFormatException e = assertThrows(DataFormatException.class, () -> StepFile.stepOf(Path.of("final.pt")));
        assertTrue(e.getMessage().contains("final.pt") && e.getMessage().contains("no step number"), e.getMessage());
    }

    @Test
    void listsCheckpointsInStepOrderSkippingOtherFiles() throws IOException {
        write("ckpt-20.safetensors", f32("w", List.of(1L), 1));
        write("ckpt-3.safetensors", f32("w", List.of(1L), 1));
        write("ckpt-100.safetensors", f32("w", List.of(1L), 1));
        Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");

        List<Long> steps = StepFile.list(dir, formats).stream().map(StepFile::step).toList();
        assertEquals(List.of(3L, 20L, 100L), steps);
    }

    /** A link out of a checkpoint folder (docs/import.md, "Hostile files"): refused naming both paths, nothing read. */
    @Test
    void refusesAFileThatLinksOutOfTheFolderNamingBothPaths(@TempDir Path elsewhere) throws IOException {
        write("ckpt-0.safetensors", f32("w", List.of(1L), 1));
        write("ckpt-1.safetensors", f32("w", List.of(1L), 2));
        Path outside = elsewhere.resolve("secret.safetensors");
        safetensors.writer().orElseThrow().write(outside, List.of(f32("w", List.of(1L), 3)), Map.of());
        Path link = Files.createSymbolicLink(dir.resolve("ckpt-2.safetensors"), outside);
        List<Path> before = listing(dir);

        DataFormatException e = assertThrows(DataFormatException.class, () -> StepFile.list(dir, formats));

        assertEquals(link + " is a link to " + outside.toRealPath() + ", outside the checkpoint folder " + dir
                + "; sedge reads only files inside a checkpoint folder, so that a folder from elsewhere cannot make it"
                + " read other files of yours. Copy " + outside.toRealPath() + " into the folder (or remove the link),"
                + " or give the folder it is in", e.getMessage());
        assertEquals(before, listing(dir), "nothing is written");
        Files.delete(link);
        Files.createSymbolicLink(dir.resolve("notes.txt"), elsewhere.resolve("notes.txt"));
        Files.writeString(elsewhere.resolve("notes.txt"), "any file: whether it is a checkpoint needs reading it");
        assertThrows(DataFormatException.class, () -> StepFile.list(dir, formats));
    }

    @Test
    void followsLinksThatStayInsideTheFolderAndAFolderThatIsItselfALink(@TempDir Path elsewhere) throws IOException {
        write("ckpt-0.safetensors", f32("w", List.of(1L), 1));
        Path kept = Files.createDirectories(dir.resolve("kept"));
        safetensors.writer().orElseThrow().write(kept.resolve("real.safetensors"), List.of(f32("w", List.of(1L), 2)),
                Map.of());
        Files.createSymbolicLink(dir.resolve("ckpt-1.safetensors"), Path.of("kept", "real.safetensors"));
        Path linkedFolder = Files.createSymbolicLink(elsewhere.resolve("ckpts"), dir);
        assertEquals(List.of(0L, 1L), StepFile.list(dir, formats).stream().map(StepFile::step).toList());
        assertEquals(List.of(0L, 1L), StepFile.list(linkedFolder, formats).stream().map(StepFile::step).toList());
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void refusesTwoCheckpointsForOneStep() {
        write("a-5.safetensors", f32("w", List.of(1L), 1));
        write("b-5.safetensors", f32("w", List.of(1L), 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> StepFile.list(dir, formats));
        assertTrue(e.getMessage().contains("two checkpoints for step 5"), e.getMessage());
    }

    @Test
    void readsTheMatchingTensorsConcatenatedInFileOrder() {
        Path file = write("s-1.safetensors", f32("layer1.weight", List.of(2L, 2L), 1, 2, 3, 4),
                f32("layer2.weight", List.of(3L), 5, 6, 7), f32("layer1.bias", List.of(1L), 9));
        try (Checkpoint checkpoint = formats.open(file)) {
            GroupReader reader = GroupReader.of(checkpoint, new NameGlob("layer1.*"));
            float[] theta = new float[reader.dimension()];
            reader.read(checkpoint, theta);

            assertArrayEquals(new float[] {1, 2, 3, 4, 9}, theta);
        }
    }

    @Test
    void matchesCommaSeparatedPatternsAndSingleCharacters() {
        NameGlob glob = new NameGlob("blocks.?.attn.*, head.weight");
        assertTrue(glob.matches("blocks.0.attn.q.weight"));
        assertTrue(glob.matches("head.weight"));
        assertFalse(glob.matches("blocks.10.attn.q.weight"));
        assertFalse(glob.matches("blocks.0.mlp.weight"));
        NameGlob listed = NameGlob.anyOf(List.of("blocks.?.attn.*", "head.weight"));
        assertTrue(listed.matches("head.weight") && !listed.matches("blocks.0.mlp.weight"), "anyOf: any pattern matches");
        assertThrows(IllegalArgumentException.class, () -> NameGlob.anyOf(List.of()));
    }

    @Test
    void refusesAGroupThatMatchesNothingListingTheTensors() {
        Path file = write("s-1.safetensors", f32("layer1.weight", List.of(1L), 1));
        try (Checkpoint checkpoint = formats.open(file)) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> GroupReader.of(checkpoint, new NameGlob("attn.*")));
            assertTrue(e.getMessage().contains("attn.*") && e.getMessage().contains("layer1.weight")
                    && e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void refusesACheckpointWhoseShapeDiffersNamingFileAndTensor() {
        Path first = write("s-1.safetensors", f32("w", List.of(2L, 2L), 1, 2, 3, 4));
        Path second = write("s-2.safetensors", f32("w", List.of(4L), 1, 2, 3, 4));
        try (Checkpoint a = formats.open(first); Checkpoint b = formats.open(second)) {
            GroupReader reader = GroupReader.of(a, new NameGlob("*"));
            DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(b, new float[4]));
            assertTrue(e.getMessage().contains(second.toString()) && e.getMessage().contains("'w'")
                    && e.getMessage().contains("[4]") && e.getMessage().contains("[2, 2]"), e.getMessage());
        }
    }

    @Test
    void refusesAFileNoFormatClaims() throws IOException {
        Path junk = Files.write(dir.resolve("x-1.safetensors"), new byte[] {1, 2, 3});
        DataFormatException e = assertThrows(DataFormatException.class, () -> formats.formatOf(junk));
        assertTrue(e.getMessage().contains("no known format") && e.getMessage().contains("safetensors"),
                e.getMessage());
    }

    @Test
    void refusesADamagedCheckpointInASeriesInsteadOfSkippingIt() throws IOException {
        write("step-1.safetensors", f32("w", List.of(1L), 1));
        Path damaged = Files.write(dir.resolve("step-2.safetensors"), new byte[] {9, 9, 9});
        write("step-3.safetensors", f32("w", List.of(1L), 1));

        List<StepFile> steps = StepFile.list(dir, formats);
        assertEquals(3, steps.size(), "the damaged file is part of the series");
        DataFormatException e = assertThrows(DataFormatException.class, () -> formats.formatOf(damaged));
        assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
    }
}
