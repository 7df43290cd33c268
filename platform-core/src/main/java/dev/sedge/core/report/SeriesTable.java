package dev.sedge.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named series over the same steps, and the rows one chart draws of them: only its columns, the rows
 * {@link Downsample} keeps for those columns, each value to {@link #DIGITS} significant digits (what a chart
 * can show; the full values are in the run's CSV files).
 */
final class SeriesTable {

    /** Significant digits written for a charted value. */
    static final int DIGITS = 6;
    private static final MathContext ROUNDING = new MathContext(DIGITS);

    private final long[] steps;
    private final Map<String, double[]> columns = new LinkedHashMap<>();

    /** @param steps not copied; the table's x values, ascending */
    SeriesTable(long[] steps) {
        this.steps = steps;
    }

    /** Adds (or replaces) the series {@code name}; {@code values} one per step, not copied. */
    SeriesTable with(String name, double[] values) {
        if (values.length != steps.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + steps.length + " steps");
        }
        columns.put(name, values);
        return this;
    }

    /** Adds the series {@code name} and returns its name. */
    String named(String name, double[] values) {
        with(name, values);
        return name;
    }

    /** Rows {@code {"step", column: value, …}} of {@code names}, downsampled on those columns. */
    ArrayNode rows(List<String> names) {
        double[][] chosen = names.stream().map(this::column).toArray(double[][]::new);
        ArrayNode rows = VegaLite.rows();
        for (int i : Downsample.rows(steps.length, chosen)) {
            ObjectNode row = rows.addObject().put("step", steps[i]);
            for (int c = 0; c < chosen.length; c++) {
                put(row, names.get(c), chosen[c][i]);
            }
        }
        return rows;
    }

    private double[] column(String name) {
        double[] values = columns.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no series " + name + "; the table has " + columns.keySet());
        }
        return values;
    }

    /** {@code value} rounded to {@link #DIGITS} digits, or null when not finite (Vega-Lite leaves a gap). */
    static void put(ObjectNode row, String field, double value) {
        if (Double.isFinite(value)) {
            row.put(field, value == 0 ? 0.0 : new BigDecimal(value).round(ROUNDING).doubleValue());
        } else {
            row.putNull(field);
        }
    }
}
