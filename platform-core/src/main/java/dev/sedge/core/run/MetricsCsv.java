package dev.sedge.core.run;

import dev.sedge.api.DataFormatException;
import dev.sedge.core.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes {@code metrics.csv}: a header {@code step,train_loss,test_loss,train_acc,
 * test_acc,…}, then one row per evaluation. Numbers are written with {@link Double#toString} so
 * they read back exactly; a missing value is {@code NaN}.
 */
public final class MetricsCsv {

    private MetricsCsv() {
    }

    /** Writes {@code table} atomically. */
    public static void write(Path file, MetricsTable table) {
        StringBuilder out = new StringBuilder("step,").append(String.join(",", table.columns())).append('\n');
        for (int i = 0; i < table.rows(); i++) {
            out.append(table.step(i));
            for (String column : table.columns()) {
                out.append(',').append(table.value(i, column));
            }
            out.append('\n');
        }
        AtomicFile.writeString(file, out.toString());
    }

    /**
     * Reads a metrics file.
     *
     * @throws DataFormatException naming the file and line for a missing file, a bad header, a
     *         short row or a number that does not parse
     */
    public static MetricsTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new DataFormatException("cannot read metrics " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.getFirst().startsWith("step,")) {
            throw new DataFormatException("metrics " + file + " does not start with a 'step,…' header");
        }
        List<String> columns = Arrays.asList(lines.getFirst().substring("step,".length()).split(",", -1));
        List<Long> steps = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size() + 1) {
                throw new DataFormatException("metrics " + file + " line " + (n + 1) + ": " + cells.length
                        + " cells, the header has " + (columns.size() + 1));
            }
            try {
                steps.add(Long.parseLong(cells[0]));
                double[] row = new double[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = Double.parseDouble(cells[c + 1]);
                }
                rows.add(row);
            } catch (NumberFormatException e) {
                throw new DataFormatException("metrics " + file + " line " + (n + 1) + ": not a number: "
                        + e.getMessage());
            }
        }
        try {
            return new MetricsTable(columns, steps.stream().mapToLong(Long::longValue).toArray(),
                    rows.toArray(double[][]::new));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException("metrics " + file + ": " + e.getMessage());
        }
    }
}
