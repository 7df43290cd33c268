package dev.sedge.core.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The content of {@code metrics.csv}: one row per evaluation, in step order. Columns start
 * {@code step,train_loss,test_loss,train_acc,test_acc}; further columns (learning rate, norms,
 * per-task metrics) follow. Missing values are NaN. Immutable; arrays copied in and out.
 */
public final class MetricsTable {

    /** The columns every metrics table starts with, after {@code step}. */
    public static final List<String> REQUIRED = List.of("train_loss", "test_loss", "train_acc", "test_acc");

    private final List<String> columns;
    private final long[] steps;
    private final double[][] values;

    /**
     * @param columns value columns, without {@code step}; must start with {@link #REQUIRED}
     * @param steps   strictly increasing; not modified
     * @param values  one row per step, each with one value per column; not modified
     */
    public MetricsTable(List<String> columns, long[] steps, double[][] values) {
        this.columns = List.copyOf(columns);
        if (this.columns.size() < REQUIRED.size() || !this.columns.subList(0, REQUIRED.size()).equals(REQUIRED)) {
            throw new IllegalArgumentException("metrics columns must start with " + REQUIRED + ", found " + columns);
        }
        if (steps.length != values.length) {
            throw new IllegalArgumentException(steps.length + " steps for " + values.length + " rows");
        }
        this.steps = steps.clone();
        this.values = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != this.columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + values[i].length + " values for "
                        + this.columns.size() + " columns");
            }
            if (i > 0 && steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("steps must increase: " + steps[i - 1] + " then " + steps[i]);
            }
            this.values[i] = values[i].clone();
        }
    }

    /** Value columns (without {@code step}). */
    public List<String> columns() {
        return columns;
    }

    public int rows() {
        return steps.length;
    }

    public long step(int row) {
        return steps[row];
    }

    /** The value of {@code column} in {@code row}. */
    public double value(int row, String column) {
        return values[row][index(column)];
    }

    /** A whole column, one value per row. A new array. */
    public double[] column(String column) {
        int c = index(column);
        double[] out = new double[steps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i][c];
        }
        return out;
    }

    /** The latest value of {@code column} at or before {@code step} (NaN values skipped). */
    public OptionalDouble latest(String column, long step) {
        int c = index(column);
        for (int i = steps.length - 1; i >= 0; i--) {
            if (steps[i] <= step && !Double.isNaN(values[i][c])) {
                return OptionalDouble.of(values[i][c]);
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * For every column, its latest value at or before {@code step}, NaN values skipped: what a
     * detector sees as the metrics of a window ending at {@code step}. Column order kept.
     */
    public Map<String, Double> latestAt(long step) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String column : columns) {
            latest(column, step).ifPresent(v -> values.put(column, v));
        }
        return values;
    }

    /** This table with one more row (for a live run). */
    public MetricsTable with(long step, double[] row) {
        long[] s = java.util.Arrays.copyOf(steps, steps.length + 1);
        s[steps.length] = step;
        List<double[]> rows = new ArrayList<>(List.of(values));
        rows.add(row);
        return new MetricsTable(columns, s, rows.toArray(double[][]::new));
    }

    private int index(String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no metrics column '" + column + "'; columns: " + columns);
        }
        return c;
    }
}
