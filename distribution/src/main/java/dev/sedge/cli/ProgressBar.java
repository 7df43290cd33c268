package dev.sedge.cli;

import dev.sedge.core.Progress;
import java.io.PrintWriter;

/**
 * Draws a {@link Progress} on stderr: an in-place bar on a terminal (redrawn at most ten times a
 * second), else one line per tenth of the work, so logs stay short. Confined to one thread.
 */
final class ProgressBar implements Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private long lastDraw;
    private long lastTenth = -1;

    ProgressBar(PrintWriter err, String label, boolean terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    /** A bar for {@code err}, in place when the process has a terminal. */
    static ProgressBar on(PrintWriter err, String label) {
        return new ProgressBar(err, label, System.console() != null && System.console().isTerminal());
    }

    @Override
    public void update(long done, long total, String detail) {
        boolean finished = total > 0 && done >= total;
        if (terminal) {
            long now = System.nanoTime();
            if (!finished && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int filled = total > 0 ? (int) (WIDTH * done / total) : 0;
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done
                    + (total > 0 ? "/" + total : "") + " " + detail + "   ");
            if (finished) {
                err.println();
            }
            err.flush();
        } else if (total > 0) {
            long tenth = 10 * done / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.println(label + ": " + done + "/" + total + " (" + 10 * tenth + "%) " + detail);
                err.flush();
            }
        }
    }
}
