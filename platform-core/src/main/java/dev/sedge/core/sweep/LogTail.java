package dev.sedge.core.sweep;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a child failed, from the end of its log: its last {@code sedge:} message (the error it printed
 * before exiting), else its last line; for a child killed by a signal, that and its last line.
 */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /**
     * @param from the log's size when the child started: only what it wrote counts
     * @param code the child's exit code
     */
    static String reason(Path log, long from, int code) {
        List<String> lines = tail(log, from);
        String message = null;
        String last = null;
        for (String line : lines) {
            if (line.startsWith("sedge: ")) {
                message = line.substring("sedge: ".length()).strip();
            }
            if (!line.isBlank() && !line.startsWith("WARNING: Using incubator modules")) {
                last = line.strip();
            }
        }
        if (code > 128) { // the shell's convention: killed by signal code - 128 (137: SIGKILL, often out of memory)
            return "exit code " + code + ": killed by signal " + (code - 128) + "; its last output: "
                    + (last != null ? last : "none");
        }
        String why = message != null ? message : last != null ? last : "no output";
        return "exit code " + code + ": " + why;
    }

    private static List<String> tail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
