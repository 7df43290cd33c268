package dev.sedge.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

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

    /** The causes a user can fix: how the operating system words each, how sedge does, and what to do. */
    private enum Cause {
        NO_SPACE("No space left on device", "no space left on the device", "Free space on its disk"),
        QUOTA("Disk quota exceeded", "the disk quota is used up", "Free space or raise the disk quota"),
        TOO_LARGE("File too large", "the file would exceed the file-size limit (ulimit -f, or the file system's"
                + " largest file)", "Raise the file-size limit (ulimit -f)"),
        DENIED("Permission denied", "permission denied", "Fix the permissions"),
        READ_ONLY("Read-only file system", "the file system is read-only", "Make the file system writable");

        private final String system;
        private final String reason;
        private final String remedy;

        Cause(String system, String reason, String remedy) {
            this.system = system;
            this.reason = reason;
            this.remedy = remedy;
        }

        static Optional<Cause> of(Throwable e) {
            String message = String.valueOf(e.getMessage());
            if (e instanceof AccessDeniedException) {
                return Optional.of(DENIED);
            }
            return Arrays.stream(values()).filter(c -> message.contains(c.system)).findFirst();
        }
    }

    /**
     * What went wrong, in words, for the causes a user can fix: "no space left on the device" (ENOSPC),
     * "the disk quota is used up" (EDQUOT), "the file would exceed the file-size limit" (EFBIG: {@code ulimit -f}
     * or the file system's largest file), "permission denied", "the file system is read-only"; else the
     * operating system's own message.
     */
    public static String reason(IOException e) {
        return Cause.of(e).map(c -> c.reason + (c == Cause.DENIED && e instanceof AccessDeniedException a
                && a.getFile() != null ? " (" + a.getFile() + ")" : "")).orElse(String.valueOf(e.getMessage()));
    }

    /**
     * What to do about {@code e} (or the first of its causes the operating system explained), as the start
     * of a sentence: "Free space on its disk", "Free space or raise the disk quota", "Raise the file-size
     * limit (ulimit -f)", "Fix the permissions", "Make the file system writable"; "Fix the cause" else.
     */
    public static String remedy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Optional<Cause> cause = Cause.of(t);
            if (cause.isPresent()) {
                return cause.get().remedy;
            }
        }
        return "Fix the cause";
    }
}
