package dev.sedge.cli;

import dev.sedge.core.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Draws a {@link Progress} on stderr with the elapsed time, the rate and the time left: on a
 * terminal one line redrawn in place (at most ten times a second), cut to the terminal's width
 * (as picocli measures it for the help); else one line per tenth of the work, so logs stay short.
 * The rate is that of this process (a resumed run counts from where it resumed). Confined to one
 * thread.
 */
final class ProgressBar implements Progress {

    private static final long REDRAW_NANOS = 100_000_000L;
    /** Narrower than this, the bar itself is left out and the numbers kept. */
    private static final int BAR_FROM_WIDTH = 70;
    private static final int BAR = 20;

    private final PrintWriter err;
    private final String label;
    /** The terminal's columns, or 0 when stderr is no terminal. */
    private final int width;
    private final LongSupplier clock;
    private long startNanos = -1;
    private long startDone;
    private long lastDraw;
    private boolean drawn;
    private long lastTenth = -1;

    ProgressBar(PrintWriter err, String label, int width, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.width = width;
        this.clock = clock;
    }

    /** A bar for {@code err}: in place, as wide as the terminal, when the process has one. */
    static ProgressBar on(PrintWriter err, String label) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return new ProgressBar(err, label, terminal ? new UsageMessageSpec().autoWidth(true).width() : 0,
                System::nanoTime);
    }

    @Override
    public void update(long done, long total, String detail) {
        long now = clock.getAsLong();
        if (startNanos < 0) {
            startNanos = now;
            startDone = done;
        }
        boolean finished = total > 0 && done >= total;
        if (width > 0) {
            if (!finished && drawn && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            drawn = true;
            lastDraw = now;
            err.print("\r" + fit(line(done, total, now, true) + "  " + detail) + "\u001b[K");
            if (finished) {
                err.println();
            }
            err.flush();
        } else if (total > 0) {
            long tenth = 10 * done / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.println(line(done, total, now, false) + "  " + detail);
                err.flush();
            }
        }
    }

    /** {@code train [####    ] 120/400 30% 0:12 9.8/s ETA 0:28}, the bar only on a wide terminal. */
    private String line(long done, long total, long now, boolean drawBar) {
        StringBuilder out = new StringBuilder(label);
        out.append(drawBar ? " " : ": ");
        if (drawBar && total > 0 && width >= BAR_FROM_WIDTH) {
            int filled = (int) Math.min(BAR, BAR * done / total);
            out.append('[').append("#".repeat(filled)).append(" ".repeat(BAR - filled)).append("] ");
        }
        out.append(done);
        if (total > 0) {
            out.append('/').append(total).append(' ').append(100 * done / total).append('%');
        }
        double seconds = (now - startNanos) / 1e9;
        out.append(' ').append(duration(seconds));
        long progressed = done - startDone;
        if (seconds >= 0.5 && progressed > 0) {
            double rate = progressed / seconds;
            out.append(String.format(Locale.ROOT, " %.3g/s", rate));
            if (total > 0 && done < total) {
                out.append(" ETA ").append(duration((total - done) / rate));
            }
        }
        return out.toString();
    }

    /** {@code line} cut to the terminal's width, less one column so that the cursor never wraps. */
    private String fit(String line) {
        return line.length() < width ? line : line.substring(0, width - 1);
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
