package dev.sedge.formats.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.formats.testing.Fixtures;
import dev.sedge.formats.testing.Reference;
import dev.sedge.testkit.FormatContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpzFormatTests {

    private final NpzFormat format = new NpzFormat();

    @TempDir
    Path folder;

    @Test
    void passesTheFormatContract() {
        List<Path> foreign = Reference.samples().stream()
                .filter(p -> !p.toString().endsWith(".npz") && !p.toString().endsWith(".npy")).toList();
        assertEquals(4, foreign.size(), "safetensors, pt, onnx and legacy pt are foreign");
        FormatContract.check(format, Fixtures.file("traj/step-0.npz"), foreign);
        FormatContract.check(format, Fixtures.file("variants/layer1-weight.npy"), foreign);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsEachTrajectoryCheckpointBitIdenticalToItsSafetensors(int step) {
        Reference.assertSameAs(format, Fixtures.file("traj/step-" + step + ".npz"), "traj/step-" + step + ".safetensors", true);
    }

    @ParameterizedTest
    @CsvSource({"variants/step-5-f16.npz, variants/step-5-f16.safetensors",
        "variants/step-5-f64.npz, variants/step-5-f64.safetensors",
        "variants/step-5-compressed.npz, traj/step-5.safetensors",
        "variants/step-5-big-endian.npz, traj/step-5.safetensors",
        "variants/step-5-fortran.npz, traj/step-5.safetensors",
        "variants/step-5-zip64.npz, traj/step-5.safetensors"})
    void readsOtherDtypesCompressionByteOrdersFortranOrderAndZip64AsTheOriginalValues(String file, String reference) {
        Reference.assertSameAs(format, Fixtures.file(file), reference, true);
    }

    @Test
    void readsABareNpyAsTensorArr0() {
        try (Checkpoint npy = format.open(Fixtures.file("variants/layer1-weight.npy"));
             Checkpoint reference = Reference.SAFETENSORS.open(Fixtures.file("traj/step-5.safetensors"))) {
            assertEquals(List.of(new TensorInfo("arr_0", DType.F32, List.of(16L, 12L))), npy.tensors());
            assertArrayEquals(reference.tensor("layer1.weight").floats(), npy.tensor("arr_0").floats(), 0f);
            assertEquals(Map.of(), npy.metadata());
        }
    }

    @Test
    void refusesAnObjectArraySayingItWouldNeedPickle() {
        Path file = Fixtures.file("bad/object.npy");
        assertTrue(format.recognises(file));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'|O'")
                && e.getMessage().contains("pickle"), e.getMessage());
    }

    @Test
    void refusesATruncatedArchiveItStillRecognises() {
        Path file = Fixtures.file("bad/truncated.npz");
        assertTrue(format.recognises(file), "the first entry's name still says .npy");
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void refusesAnArrayWhoseDataIsShorterThanItsShapeNamingTheArray() throws IOException {
        Path file = npz("short.npz", "weights.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100,), }", 8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'weights'")
                && e.getMessage().contains("reaches byte 528 of its storage, which holds 136 bytes"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }|the .npy dtype '<c16' is not read",
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }|structured arrays are not read",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }|non-negative ints",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,}|not a valid dict literal"})
    void refusesHeadersItCannotReadSayingWhy(String header, String expected) throws IOException {
        Path file = folder.resolve("bad.npy");
        Files.write(file, npy(header, 64));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    /** Hostile headers (docs/import.md, "Hostile files"): refused from the header alone, nothing allocated for the shape. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "(1099511627776,)|tensor 'arr_0' (F32 [1099511627776], offset 128 bytes, strides [1]) reaches byte 4398046511232"
            + " of its storage, which holds 144 bytes",
        "(4611686018427387904,)|array 'arr_0' is not a valid tensor",
        "(4294967296, 4294967296, 4294967296)|array 'arr_0' is not a valid tensor"})
    void refusesAHeaderClaimingAHugeShapeFromTheHeaderAlone(String shape, String expected) throws IOException {
        Path file = folder.resolve("step-6.npy");
        Files.write(file, npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", 16));
        DataFormatException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThrows(DataFormatException.class, () -> format.open(file)));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
        try (var files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList(), "nothing is written");
        }
    }

    @Test
    void refusesAHugeShapeInACompressedEntryWithoutInflatingIt() throws IOException {
        Path file = folder.resolve("step-6.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("w.npy")); // deflated: 1 TiB of floats claimed in 144 bytes
            zip.write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (274877906944,), }", 16));
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file + ": tensor 'w' (F32 [274877906944]") && e.getMessage().contains(
                "reaches byte 1099511627904 of its storage, which holds 144 bytes"), e.getMessage());
    }

    @Test
    void refusesAHeaderLengthPastTheCap() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, -1, -1, -1, -1}); // version 2: 4 GiB - 1 of header
        byte[] dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }".getBytes(StandardCharsets.ISO_8859_1);
        out.write(dict);
        Path file = Files.write(folder.resolve("step-6.npy"), out.toByteArray());
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file + ": the .npy header says it is 4294967295 bytes, but only "
                + dict.length + " follow (sedge reads headers up to 1048576 bytes)"), e.getMessage());
    }

    @Test
    void readsAVersion2HeaderAndAScalar() throws IOException {
        byte[] header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        out.write(new byte[] {(byte) header.length, 0, 0, 0});
        out.write(header);
        out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(0, -0.125).array());
        Path file = folder.resolve("scalar.npy");
        Files.write(file, out.toByteArray());
        try (Checkpoint checkpoint = format.open(file)) {
            assertEquals(List.of(new TensorInfo("arr_0", DType.F64, List.of())), checkpoint.tensors());
            assertArrayEquals(new double[] {-0.125}, checkpoint.tensor("arr_0").doubles(), 0.0);
        }
    }

    @Test
    void doesNotClaimAZipWithOtherEntries() throws IOException {
        Path file = npz("mixed.npz", "weights.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4));
        assertTrue(format.recognises(file));
        Path mixed = folder.resolve("mixed.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(mixed))) {
            zip.putNextEntry(new ZipEntry("weights.npy"));
            zip.write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4));
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(false, format.recognises(mixed));
    }

    /** A version-1 .npy with {@code header} (padded as numpy pads it) and {@code dataBytes} zero bytes of data. */
    static byte[] npy(String header, int dataBytes) throws IOException {
        StringBuilder padded = new StringBuilder(header);
        while ((10 + padded.length() + 1) % 64 != 0) {
            padded.append(' ');
        }
        padded.append('\n');
        byte[] text = padded.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, (byte) (text.length >> 8)});
        out.write(text);
        out.write(new byte[dataBytes]);
        return out.toByteArray();
    }

    private Path npz(String name, String entry, byte[] data) throws IOException {
        Path file = folder.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(data);
        }
        return file;
    }
}
