package dev.sedge.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.Objects;

/**
 * A file that could not be written, with a message that already says what to do about it (free space,
 * then continue with a given command): the command line prints it as it is, adding no advice of its own.
 * Exit code 6, like every {@link UncheckedIOException}. Also names the usual causes in words
 * ({@link #reason}).
 */
public final class WriteFailure extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, where, and what to do
     * @param cause   the operating system's error
     */
    public WriteFailure(String message, IOException cause) {
        super(Objects.requireNonNull(message, "message"), Objects.requireNonNull(cause, "cause"));
    }

    /**
     * What went wrong, in words, for the causes a user can fix: "no space left on the device" (ENOSPC),
     * "the disk quota is used up" (EDQUOT), "the file would exceed the file-size limit" (EFBIG: {@code ulimit -f}
     * or the file system's largest file), "permission denied", "the file system is read-only"; else the
     * operating system's own message.
     */
    public static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device")) {
            return "no space left on the device";
        }
        if (message.contains("Disk quota exceeded")) {
            return "the disk quota is used up";
        }
        if (message.contains("File too large")) {
            return "the file would exceed the file-size limit (ulimit -f, or the file system's largest file)";
        }
        if (e instanceof AccessDeniedException || message.contains("Permission denied")) {
            return "permission denied" + (e instanceof AccessDeniedException a && a.getFile() != null
                    ? " (" + a.getFile() + ")" : "");
        }
        if (message.contains("Read-only file system")) {
            return "the file system is read-only";
        }
        return message;
    }

    /**
     * What to do about {@code e} (or the first of its causes the operating system explained), as the start
     * of a sentence: "Free space on its disk", "Free space or raise the disk quota", "Raise the file-size
     * limit (ulimit -f)", "Fix the permissions", "Make the file system writable"; "Fix the cause" else.
     */
    public static String remedy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("No space left on device")) {
                return "Free space on its disk";
            }
            if (message.contains("Disk quota exceeded")) {
                return "Free space or raise the disk quota";
            }
            if (message.contains("File too large")) {
                return "Raise the file-size limit (ulimit -f)";
            }
            if (t instanceof AccessDeniedException || message.contains("Permission denied")) {
                return "Fix the permissions";
            }
            if (message.contains("Read-only file system")) {
                return "Make the file system writable";
            }
        }
        return "Fix the cause";
    }
}
