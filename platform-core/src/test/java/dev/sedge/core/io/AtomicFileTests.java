package dev.sedge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTests {

    @TempDir
    Path dir;

    /** The id of a process that has ended. */
    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesWholeAndLeavesNoTemporaryFile() throws IOException {
        AtomicFile.writeString(dir.resolve("a.json"), "{}");
        AtomicFile.writeString(dir.resolve("a.json"), "{\"b\": 1}");

        assertEquals("{\"b\": 1}", Files.readString(dir.resolve("a.json")));
        assertEquals(List.of("a.json"), names());
    }

    @Test
    void deletesTheTemporaryFilesOfWritersThatAreGoneAndNothingElse() throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        String leftover = ".step-000000010.safetensors." + dead + ".8f3a2c.tmp";
        String writing = ".metrics.csv." + alive + ".1b.tmp";
        for (String name : List.of(leftover, writing, ".lock", "metrics.csv", ".notes.tmp", "run.json.tmp")) {
            Files.writeString(dir.resolve(name), "x");
        }
        assertTrue(AtomicFile.isLeftover(dir.resolve(leftover)));
        assertFalse(AtomicFile.isLeftover(dir.resolve(writing)), "its writer still runs");

        assertEquals(1, AtomicFile.deleteLeftovers(dir));

        assertEquals(List.of(".lock", writing, ".notes.tmp", "metrics.csv", "run.json.tmp"), names());
        assertEquals(0, AtomicFile.deleteLeftovers(dir.resolve("absent")));
    }

    @Test
    void namesTheCausesAUserCanFixInWords() {
        assertEquals("no space left on the device", WriteFailure.reason(new IOException("No space left on device")));
        assertTrue(WriteFailure.reason(new IOException("File too large")).contains("file-size limit (ulimit -f"));
        assertEquals("the disk quota is used up", WriteFailure.reason(new IOException("Disk quota exceeded")));
        assertEquals("permission denied (/r/x)", WriteFailure.reason(new AccessDeniedException("/r/x")));
        assertEquals("Input/output error", WriteFailure.reason(new IOException("Input/output error")));
        assertEquals("Free space on its disk", WriteFailure.remedy(new UncheckedIOException("cannot write x: no space"
                + " left on the device", new IOException("No space left on device"))));
        assertEquals("Raise the file-size limit (ulimit -f)", WriteFailure.remedy(new IOException("File too large")));
        assertEquals("Fix the permissions", WriteFailure.remedy(new AccessDeniedException("/r/x")));
        assertEquals("Fix the cause", WriteFailure.remedy(new IOException("Input/output error")));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path file = dir.resolve("a.json");
        AtomicFile.writeString(file, "old");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(file, channel -> {
                    AtomicFile.writeFully(channel, ByteBuffer.wrap("new, half".getBytes(StandardCharsets.UTF_8)));
                    throw new IOException("No space left on device");
                }));

        assertEquals("cannot write " + file.toAbsolutePath() + ": no space left on the device", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("a.json"), names());
    }
}
