package dev.sedge.cli;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process holding a run directory's lock, as {@code sedge train} would: run as a source file
 * ({@code java dev/sedge/cli/LockHolder.java DIR}), it locks {@code DIR/.lock}, writes who holds it,
 * prints {@code locked} and waits to be killed. Needs nothing but the JDK.
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0], ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = channel.lock()) {
            channel.write(ByteBuffer.wrap(("test holder (pid " + ProcessHandle.current().pid() + ")\n")
                    .getBytes(StandardCharsets.UTF_8)));
            System.out.println(lock.isValid() ? "locked" : "not locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
