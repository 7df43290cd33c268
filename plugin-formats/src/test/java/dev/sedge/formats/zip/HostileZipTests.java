package dev.sedge.formats.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.pytorch.PytorchFormat;
import dev.sedge.formats.testing.PickleBytes;
import dev.sedge.formats.testing.ZipBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile zip archives (.pt and .npz; docs/import.md, "Hostile files"): zip bombs, claimed and real, names that
 * would escape a folder on extraction, two entries of one name, a local header that disagrees with the directory,
 * entries that share bytes. Each is refused with a message naming the file and the entry, fast, before inflating
 * more than one byte past what the directory promised, and nothing is written.
 */
class HostileZipTests {

    private static final long TEN_GIB_IN_MIB = 10 * 1024;

    private final NpzFormat npz = new NpzFormat();
    private final PytorchFormat pytorch = new PytorchFormat();

    @TempDir
    Path folder;

    @Test
    void refusesATinyCheckpointClaimingTenGigabytesByTheRatioCapBeforeInflating() throws IOException {
        long claimed = 10_000_000_000L;
        byte[] compressed = ZipBytes.deflate(new byte[4096]);
        ZipBytes.Entry storage = new ZipBytes.Entry("step-6/data/0", "step-6/data/0", 8, compressed, claimed, 0);
        Path file = ZipBytes.write(folder.resolve("step-6.pt"), PickleBytes.torchArchive("step-6",
                PickleBytes.stateDict("w", claimed / 4), storage));
        assertTrue(Files.size(file) < 1024, Files.size(file) + " bytes");
        assertTrue(pytorch.recognises(file));

        DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DataFormatException.class, () -> pytorch.open(file)));

        assertTrue(e.getMessage().startsWith(file + ": zip entry 'step-6/data/0' claims to inflate " + compressed.length
                + " bytes to 10000000000, more than DEFLATE's limit of 1032 to 1: a zip bomb or a corrupt file, refused"
                + " before inflating anything"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @Test
    void refusesAnEntryThatReallyInflatesToTenGibibytesByTheAbsoluteCapBeforeInflating() throws Exception {
        byte[] header = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': ("
                + TEN_GIB_IN_MIB * (1 << 18) + ",), }");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ZipBytes.writeZeroBomb(stream, header, TEN_GIB_IN_MIB);
        long inflated = header.length + (TEN_GIB_IN_MIB << 20);
        assertEquals(header.length + (64L << 20), inflatedSize(bomb(header, 64)), "the bomb builder, checked small");
        Path file = ZipBytes.write(folder.resolve("step-6.npz"),
                List.of(new ZipBytes.Entry("w.npy", "w.npy", 8, stream.toByteArray(), inflated, 0)));
        assertTrue(Files.size(file) < inflated / 1000, "DEFLATE's ratio: " + Files.size(file) + " bytes");

        DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DataFormatException.class, () -> npz.open(file)));

        assertTrue(e.getMessage().startsWith(file + ": zip entry 'w.npy' inflates to " + inflated + " bytes, over"
                + " sedge's cap of 4294967296 bytes (4 GiB) for one compressed entry; refused before inflating"
                + " anything"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @Test
    void refusesAnEntryThatInflatesPastWhatItClaimsAtTheFirstByteBeyond() throws IOException {
        byte[] header = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (250,), }");
        byte[] stream = bomb(header, TEN_GIB_IN_MIB); // really 10 GiB of zeros after the header
        long claimed = header.length + 1000;
        Path file = ZipBytes.write(folder.resolve("step-6.npz"),
                List.of(new ZipBytes.Entry("w.npy", "w.npy", 8, stream, claimed, 0)));

        DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (Checkpoint checkpoint = npz.open(file)) { // the header is read: 250 floats, as claimed
                return assertThrows(DataFormatException.class, () -> checkpoint.tensor("w"));
            }
        });

        assertTrue(e.getMessage().startsWith(file + ": zip entry 'w.npy' inflates to more than the " + claimed
                + " bytes the zip directory says (stopped there): a zip bomb or a corrupt file"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "pytorch"})
    void refusesTwoEntriesOfOneNameAsAmbiguous(String formatName) throws IOException {
        CheckpointFormat format = formatName.equals("npz") ? npz : pytorch;
        List<ZipBytes.Entry> entries = formatName.equals("npz")
                ? List.of(ZipBytes.Entry.stored("w.npy", npy(1)), ZipBytes.Entry.stored("w.npy", npy(2)))
                : PickleBytes.torchArchive("step-6", PickleBytes.stateDict("w", 1),
                        ZipBytes.Entry.stored("step-6/data/0", new byte[4]), ZipBytes.Entry.stored("step-6/data/0", new byte[4]));
        String duplicate = formatName.equals("npz") ? "w.npy" : "step-6/data/0";
        Path file = ZipBytes.write(folder.resolve("step-6." + (formatName.equals("npz") ? "npz" : "pt")), entries);
        assertTrue(format.recognises(file), "claimed by its first entry, so the refusal is precise");

        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));

        assertTrue(e.getMessage().startsWith(file + ": the zip holds two entries named '" + duplicate + "', so which one"
                + " is read is ambiguous"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../w.npy|a '..' segment, which leads out of the folder it would be extracted to",
        "a/../../w.npy|a '..' segment",
        "..\\w.npy|a '..' segment",
        "/tmp/w.npy|an absolute path",
        "\\w.npy|an absolute path",
        "C:\\w.npy|an absolute path"})
    void refusesNamesThatWouldLeaveTheFolderOnExtraction(String name, String expected) throws IOException {
        Path file = ZipBytes.write(folder.resolve("step-6.npz"), List.of(ZipBytes.Entry.stored("v.npy", npy(1)),
                ZipBytes.Entry.stored(name, npy(1))));
        assertTrue(npz.recognises(file));

        DataFormatException e = assertThrows(DataFormatException.class, () -> npz.open(file));

        assertTrue(e.getMessage().startsWith(file + ": zip entry '" + name + "' has " + expected)
                && e.getMessage().contains("sedge never extracts an archive"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @Test
    void refusesANameWithANulCharacter() throws IOException {
        Path file = ZipBytes.write(folder.resolve("step-6.npz"), List.of(ZipBytes.Entry.stored("w.npy\0.txt", npy(1))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> npz.open(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entry 'w.npy\\0.txt' has a NUL character in its name"),
                e.getMessage());
    }

    @Test
    void refusesALocalHeaderThatNamesTheEntryOtherwise() throws IOException {
        Path file = ZipBytes.write(folder.resolve("step-6.npz"),
                List.of(ZipBytes.Entry.stored("w.npy", npy(1)).localNamed("../evil.npy")));
        DataFormatException e = assertThrows(DataFormatException.class, () -> npz.open(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entry 'w.npy' is named '../evil.npy' by its local header, so"
                + " which entry is read depends on the tool"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @Test
    void refusesEntriesThatShareBytesAsInANonRecursiveZipBomb() throws IOException {
        Path file = Files.write(folder.resolve("step-6.npz"), ZipBytes.overlapping(List.of("a.npy", "b.npy"),
                ZipBytes.Entry.stored("c.npy", npy(1))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> npz.open(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entries 'a.npy' and 'b.npy' share bytes (entry 'b.npy' starts"
                + " at byte 35, inside 'a.npy'"), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    /** A raw DEFLATE stream of {@code head} and {@code megabytes} MiB of zeros. */
    private static byte[] bomb(byte[] head, long megabytes) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ZipBytes.writeZeroBomb(stream, head, megabytes);
        return stream.toByteArray();
    }

    /** What {@code stream} inflates to, counted. */
    private static long inflatedSize(byte[] stream) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(stream);
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                break;
            }
            total += n;
        }
        inflater.end();
        return total;
    }

    /** A version-1 .npy header, padded as numpy pads it. */
    private static byte[] npyHeader(String dict) {
        StringBuilder padded = new StringBuilder(dict);
        while ((10 + padded.length() + 1) % 64 != 0) {
            padded.append(' ');
        }
        byte[] text = padded.append('\n').toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, (byte) (text.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    /** A .npy of {@code n} float32 zeros. */
    private static byte[] npy(int n) {
        byte[] header = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }");
        byte[] out = new byte[header.length + 4 * n];
        System.arraycopy(header, 0, out, 0, header.length);
        return out;
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
