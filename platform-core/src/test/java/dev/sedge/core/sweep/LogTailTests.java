package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTests {

    @TempDir
    Path dir;

    @Test
    void givesTheChildsLastMessageFromWhatItWrote() throws Exception {
        Path log = dir.resolve("train.log");
        Files.writeString(log, "sedge: an earlier attempt's error\n");
        long from = Files.size(log);
        Files.writeString(log, "sedge: training into x\ntrain: 4/40 (10%)\nsedge: loss became NaN at step 7\n"
                + "WARNING: Using incubator modules: jdk.incubator.vector\n", java.nio.file.StandardOpenOption.APPEND);

        assertEquals("exit code 5: loss became NaN at step 7", LogTail.reason(log, from, 5));
        assertEquals("exit code 137: killed by signal 9; its last output: sedge: loss became NaN at step 7",
                LogTail.reason(log, from, 137));
        assertEquals("exit code 1: no output", LogTail.reason(log, Files.size(log), 1));
    }
}
