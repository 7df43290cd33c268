package dev.sedge.spectral;

import dev.sedge.api.DataFormatException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes {@code spectrum.csv}, one row per window. The header is
 * {@code step,sigma_1..sigma_W,lambda_1..lambda_W,ratio_1..ratio_{W−1},kstar,kstar_weighted,g23}
 * followed by {@link #EXTRA_COLUMNS} and then {@code rotation_deg_1..W}, {@code alpha_half_1..⌊W/2⌋},
 * {@code alpha_dk_1..W−1}. Numbers are written with {@link Double#toString} ({@code NaN},
 * {@code Infinity} included) so they read back bit for bit; booleans as {@code true}/{@code false}.
 *
 * <p>The file is written under a temporary name in the same folder and atomically renamed over
 * the target when the writer is closed, so a reader never sees half a file. The reader needs only
 * the leading columns; any of the later ones may be missing (then NaN, 0 or false) and unknown
 * columns are ignored, so files written by other tools with the same leading header read too.
 */
public final class SpectrumCsv {

    /** The columns between {@code g23} and the per-direction ones, in order. */
    public static final List<String> EXTRA_COLUMNS = List.of("first_step", "dimension", "centered", "sketched",
            "bbp_d_crit", "bbp_count", "delta_g_fro", "edge_angle_deg", "adiabatic", "learning_rate");

    private SpectrumCsv() {
    }

    /** The full header for windows of width W ≥ 2, as a list of column names. */
    public static List<String> header(int width) {
        if (width < 2) {
            throw new IllegalArgumentException("window width W must be >= 2, found " + width);
        }
        List<String> h = new ArrayList<>();
        h.add("step");
        numbered(h, "sigma_", width);
        numbered(h, "lambda_", width);
        numbered(h, "ratio_", width - 1);
        h.addAll(List.of("kstar", "kstar_weighted", "g23"));
        h.addAll(EXTRA_COLUMNS);
        numbered(h, "rotation_deg_", width);
        numbered(h, "alpha_half_", width / 2);
        numbered(h, "alpha_dk_", width - 1);
        return List.copyOf(h);
    }

    private static void numbered(List<String> into, String prefix, int count) {
        for (int j = 1; j <= count; j++) {
            into.add(prefix + j);
        }
    }

    /** Writes every window of {@code windows} (all of width {@code width}, possibly none) to {@code file} atomically. */
    public static void write(Path file, int width, List<WindowSpectrum> windows) {
        Writer writer = open(file, width);
        try {
            windows.forEach(writer::append);
        } catch (RuntimeException | Error e) {
            writer.abandon(); // a failed row must not commit the rows before it as the whole file
            throw e;
        }
        writer.close();
    }

    /**
     * Opens a streaming writer: rows go to a temporary file as windows come, and {@link Writer#close()}
     * renames it over {@code file}.
     *
     * @throws UncheckedIOException naming the file if it cannot be created
     */
    public static Writer open(Path file, int width) {
        return new Writer(file, width);
    }

    /**
     * Writes rows of one width to a temporary file; {@link #close()} commits it, {@link #abandon()}
     * drops it. Confined to one thread.
     */
    public static final class Writer implements AutoCloseable {

        private final Path target;
        private final Path temporary;
        private final int width;
        private final FileChannel channel;
        private final BufferedWriter out;
        private boolean done;

        private Writer(Path file, int width) {
            List<String> header = header(width);
            this.target = file.toAbsolutePath();
            this.width = width;
            this.temporary = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                this.channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
                out.write(String.join(",", header));
                out.write('\n');
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /**
         * Appends one row.
         *
         * @throws IllegalArgumentException if the window's width is not this file's
         * @throws IllegalStateException    after {@link #close()} or {@link #abandon()}
         */
        public void append(WindowSpectrum w) {
            Objects.requireNonNull(w, "window");
            if (done) {
                throw new IllegalStateException("spectrum writer for " + target + " is closed");
            }
            if (w.width() != width) {
                throw new IllegalArgumentException("window at step " + w.step() + " has W = " + w.width() + "; this "
                        + target.getFileName() + " has W = " + width + ". Write one width per file");
            }
            StringBuilder row = new StringBuilder(64 * width).append(w.step());
            cells(row, w.sigma());
            cells(row, w.lambda());
            cells(row, w.ratios());
            row.append(',').append(w.kstar()).append(',').append(w.kstarWeighted()).append(',').append(w.g23());
            row.append(',').append(w.firstStep()).append(',').append(w.dimension()).append(',').append(w.centered())
                    .append(',').append(w.sketched()).append(',').append(w.bbpThreshold()).append(',')
                    .append(w.bbpCount()).append(',').append(w.deltaGramNorm()).append(',')
                    .append(w.edgeAngleDegrees()).append(',').append(w.adiabatic()).append(',')
                    .append(w.learningRate());
            cells(row, w.rotationDegrees());
            cells(row, w.alphaHalves());
            cells(row, w.alphaDavisKahan());
            try {
                out.append(row).append('\n');
            } catch (IOException e) {
                throw failure(e);
            }
        }

        private static void cells(StringBuilder row, double[] values) {
            for (double v : values) {
                row.append(',').append(v);
            }
        }

        /** Flushes, forces to disk and atomically renames the file over the target. Idempotent. */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.flush();
                channel.force(true);
                out.close();
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteTemporary(e);
                throw failure(e);
            }
        }

        /** Drops what was written; the target is left as it was. Idempotent. */
        public void abandon() {
            if (done) {
                return;
            }
            done = true;
            IOException problem = new IOException("abandoned");
            try {
                out.close();
            } catch (IOException e) {
                problem.addSuppressed(e);
            }
            deleteTemporary(problem);
        }

        private void deleteTemporary(IOException cause) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }

        private UncheckedIOException failure(IOException e) {
            return new UncheckedIOException("cannot write spectrum " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every window of a spectrum file.
     *
     * @throws DataFormatException naming the file, line and column for a missing file, a header
     *                             without the leading columns, a short row or a value that does not parse
     */
    public static List<WindowSpectrum> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFormatException("cannot read spectrum " + file + ": " + e.getMessage()
                    + "; expected a spectrum.csv written by sedge spectrum or a live run");
        }
        if (lines.isEmpty()) {
            throw new DataFormatException("spectrum " + file + " is empty; expected a header line starting 'step,'");
        }
        String[] names = lines.getFirst().split(",", -1);
        int width = 0;
        while (width + 1 < names.length && names[width + 1].equals("sigma_" + (width + 1))) {
            width++;
        }
        List<String> expected = header(Math.max(width, 2));
        int leading = 3 * Math.max(width, 2) + 3;
        if (width < 2 || names.length < leading || !List.of(names).subList(0, leading).equals(expected.subList(0, leading))) {
            throw new DataFormatException("spectrum " + file + " line 1: expected a header starting "
                    + String.join(",", expected.subList(0, Math.min(leading, 8))) + "… (step, W ≥ 2 sigma_j, W lambda_j,"
                    + " W−1 ratio_j, kstar, kstar_weighted, g23); found '" + abbreviate(lines.getFirst()) + "'");
        }
        Map<String, Integer> column = new HashMap<>();
        for (int c = 0; c < names.length; c++) {
            column.putIfAbsent(names[c], c);
        }
        List<WindowSpectrum> windows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (!lines.get(n).isBlank()) {
                windows.add(new RowReader(file, n + 1, lines.get(n), names, column).window(width));
            }
        }
        return windows;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
