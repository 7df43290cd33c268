package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge train} running out of space while it writes a checkpoint, with real processes: a run
 * trained to step 20, then extended to 40 ({@code --resume --set train.steps=40}) with too little room
 * for checkpoint 30, then resumed once there is room. Two ways to run out: a full tmpfs (needs root, or
 * the right to mount) and a file-size limit ({@code ulimit -f}: the JVM ignores SIGXFSZ, so the write
 * fails with EFBIG); each test skips, saying why, where its way is not available.
 *
 * <p>mlp2 with K = 2048 on (a + b) mod 11: each checkpoint's files are 0.27–1.1 MB (parameters, optimizer
 * state, monitor state), the other files a few KB, so that checkpoint 30 is what fails.
 */
class DiskFullIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONFIG = List.of("--set", "task.p=11", "--set", "task.train-size=60",
            "--set", "architecture.hidden=2048", "--set", "train.checkpoint-every=10", "--set", "spectrum.window=5");
    /** What is left free on the tmpfs for the extension: less than its first monitor state (1.1 MB). */
    private static final long FREE_BYTES = 512 * 1024;
    /** The file-size limit in KiB: above the small files, below the monitor state and optimizer state. */
    private static final int LIMIT_KIB = 256;
    /** The exit value of a process killed by SIGXFSZ, had the JVM not ignored it. */
    private static final int SIGXFSZ_EXIT = 128 + 25;

    @TempDir
    static Path shared;
    private static Path reference;

    @TempDir
    Path temp;

    @BeforeAll
    static void trainTheUninterruptedRun() throws Exception {
        reference = shared.resolve("reference");
        ProcessRun run = LaunchedSedge.run(shared, shared, train("--out", reference.toString(), "--set", "train.steps=40"));
        assertEquals(Main.OK, run.code(), run.err());
    }

    private static List<String> train(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--no-report"));
        all.addAll(List.of(args));
        if (List.of(args).contains("--out")) {
            all.addAll(CONFIG);
        }
        return all;
    }

    @Test
    void aFullDiskDuringACheckpointKeepsTheLastOneWholeAndSaysToFreeSpaceAndResume() throws Exception {
        Path disk = Files.createDirectories(temp.resolve("disk"));
        ProcessRun mount = ProcessRun.of(List.of("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString()),
                System.getenv(), temp, temp);
        Assumptions.assumeTrue(mount.code() == 0, "cannot mount a tmpfs here (it takes root or CAP_SYS_ADMIN): "
                + mount.err().strip() + "; the file-size-limit test covers a write that runs out of room");
        try {
            Path run = disk.resolve("run");
            ProcessRun first = LaunchedSedge.run(temp, temp, train("--out", run.toString(), "--set", "train.steps=20"));
            assertEquals(Main.OK, first.code(), first.err());
            Path ballast = fill(disk, FREE_BYTES);

            ProcessRun full = LaunchedSedge.run(temp, temp, train("--resume", run.toString(), "--set", "train.steps=40"));

            assertStoppedAtCheckpoint30(run, full, "no space left on the device", "Free space on its disk");
            Files.delete(ballast);
            assertResumesToTheUninterruptedRun(run, LaunchedSedge.run(temp, temp,
                    List.of("--json", "train", "--no-report", "--resume", run.toString())));
        } finally {
            unmount(disk);
        }
    }

    @Test
    void aFileSizeLimitDuringACheckpointKeepsTheLastOneWholeAndSaysWhatHappened() throws Exception {
        Path probe = temp.resolve("probe");
        ProcessRun limited = ProcessRun.of(List.of("bash", "-c", "ulimit -f 1 && head -c 4096 /dev/zero > \"$0\"",
                probe.toString()), System.getenv(), temp, temp);
        Assumptions.assumeTrue(limited.code() != 0 && Files.size(probe) <= 1024, "no bash with a working ulimit -f"
                + " here (exit " + limited.code() + ": " + limited.err().strip() + ")");
        Path run = temp.resolve("run");
        ProcessRun first = LaunchedSedge.run(temp, temp, train("--out", run.toString(), "--set", "train.steps=20"));
        assertEquals(Main.OK, first.code(), first.err());

        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + LIMIT_KIB + " && exec \"$0\" \"$@\""));
        command.addAll(LaunchedSedge.command(train("--resume", run.toString(), "--set", "train.steps=40")));
        ProcessRun tooLarge = ProcessRun.of(command, LaunchedSedge.environment(temp), temp, temp, Duration.ofMinutes(5));

        Assumptions.assumeTrue(tooLarge.code() != SIGXFSZ_EXIT, "this JVM does not ignore SIGXFSZ: the file-size limit"
                + " killed it instead of failing the write");
        assertStoppedAtCheckpoint30(run, tooLarge, "the file would exceed the file-size limit (ulimit -f",
                "Raise the file-size limit (ulimit -f)");
        assertResumesToTheUninterruptedRun(run, LaunchedSedge.run(temp, temp,
                List.of("--json", "train", "--no-report", "--resume", run.toString())));
    }

    /**
     * Exit code 6; the message names the checkpoint file it could not write, why, what the run keeps and
     * the command that continues it; checkpoint 20 is whole and the uninterrupted run's, and nothing is
     * half-written under a final name or left as a temporary file.
     */
    private static void assertStoppedAtCheckpoint30(Path run, ProcessRun failed, String reason, String remedy)
            throws IOException {
        assertEquals(Main.IO, failed.code(), failed.err());
        String message = failed.err().lines().filter(l -> l.startsWith("sedge: cannot write")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'sedge: cannot write' line: " + failed.err()));
        System.out.println("DiskFullIT: " + message);
        assertTrue(message.startsWith("sedge: cannot write " + run.resolve("checkpoints")) && message.contains("30"),
                message);
        assertTrue(message.contains(reason), message);
        assertTrue(message.contains("keeps every file whole, up to its last checkpoint, step 20"), message);
        assertTrue(message.endsWith(". " + remedy + ", then continue the run with: sedge train --resume " + run), message);
        assertEquals(List.of(), RunFiles.temporaries(run), "a failed write leaves no temporary file");
        RunFiles.assertReadable(run, Set.of());
        assertEquals(List.of(0L, 10L, 20L), RunFiles.checkpoints(run));
        RunLayout layout = new RunLayout(run);
        RunLayout expected = new RunLayout(reference);
        for (Path[] pair : List.of(new Path[] {expected.checkpoint(20), layout.checkpoint(20)},
                new Path[] {expected.decayPart(20), layout.decayPart(20)},
                new Path[] {stateFile(expected, 20), stateFile(layout, 20)})) {
            assertEquals(-1L, Files.mismatch(pair[0], pair[1]), pair[1] + " is whole and the uninterrupted run's");
        }
    }

    private static void assertResumesToTheUninterruptedRun(Path run, ProcessRun resumed) throws IOException {
        assertEquals(Main.OK, resumed.code(), resumed.err());
        assertEquals(20, JSON.readTree(resumed.out()).get("resumed_from").asLong(), resumed.out());
        RunFiles.assertSameRun(reference, run, Set.of(), "resumed after the write failed");
    }

    private static Path stateFile(RunLayout layout, long step) {
        return layout.checkpoints().resolve("state").resolve(layout.checkpoint(step).getFileName());
    }

    /** Writes a file of zeros (real blocks, not a sparse file) until {@code free} bytes are left. */
    private static Path fill(Path disk, long free) throws IOException {
        Path ballast = disk.resolve("ballast");
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(ballast, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left;
            while ((left = Files.getFileStore(disk).getUsableSpace() - free) > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                out.write(chunk);
            }
            out.force(true);
        }
        return ballast;
    }

    private static void unmount(Path disk) throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
