package dev.sedge.spectral;

import dev.sedge.api.DataFormatException;
import java.nio.file.Path;
import java.util.Map;

/** Parses one data row of {@code spectrum.csv} into a {@link WindowSpectrum}; every failure names file, line and column. */
final class RowReader {

    private final Path file;
    private final int line;
    private final String[] cells;
    private final String[] names;
    private final Map<String, Integer> column;

    /**
     * @param line   1-based line number, for messages
     * @param names  header cells; not modified
     * @param column header name to its first index; not modified
     */
    RowReader(Path file, int line, String text, String[] names, Map<String, Integer> column) {
        this.file = file;
        this.line = line;
        this.cells = text.split(",", -1);
        this.names = names;
        this.column = column;
        if (cells.length != names.length) {
            throw new DataFormatException("spectrum " + file + " line " + line + ": expected " + names.length
                    + " cells as in the header, found " + cells.length + ". The file was cut or edited by hand");
        }
    }

    WindowSpectrum window(int w) {
        long step = longAt(0);
        double[] sigma = doubles("sigma_", w);
        double[] lambda = doubles("lambda_", w);
        double[] ratios = doubles("ratio_", w - 1);
        int kstar = (int) longAt(column.get("kstar"));
        int kstarWeighted = (int) longAt(column.get("kstar_weighted"));
        double g23 = doubleAt(column.get("g23"));
        double[] rotation = optionalDoubles("rotation_deg_", w);
        double[] alphaHalves = optionalDoubles("alpha_half_", w / 2);
        double[] alphaDk = optionalDoubles("alpha_dk_", w - 1);
        try {
            return new WindowSpectrum(step, optionalLong("first_step", step), (int) optionalLong("dimension", 0),
                    optionalBoolean("centered"), optionalBoolean("sketched"), sigma, lambda, ratios, kstar,
                    kstarWeighted, g23, optionalDouble("bbp_d_crit"), rotation, optionalDouble("edge_angle_deg"),
                    optionalDouble("delta_g_fro"), alphaHalves, alphaDk, optionalDouble("adiabatic"),
                    optionalDouble("learning_rate"));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException("spectrum " + file + " line " + line + ": " + e.getMessage());
        }
    }

    private double[] doubles(String prefix, int count) {
        double[] v = new double[count];
        for (int j = 0; j < count; j++) {
            v[j] = doubleAt(column.get(prefix + (j + 1)));
        }
        return v;
    }

    private double[] optionalDoubles(String prefix, int count) {
        double[] v = new double[count];
        for (int j = 0; j < count; j++) {
            v[j] = optionalDouble(prefix + (j + 1));
        }
        return v;
    }

    private double optionalDouble(String name) {
        Integer c = column.get(name);
        return c == null ? Double.NaN : doubleAt(c);
    }

    private long optionalLong(String name, long otherwise) {
        Integer c = column.get(name);
        return c == null ? otherwise : longAt(c);
    }

    private boolean optionalBoolean(String name) {
        Integer c = column.get(name);
        if (c == null) {
            return false;
        }
        return switch (cells[c].strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw bad(c, "true or false");
        };
    }

    private double doubleAt(int c) {
        try {
            return Double.parseDouble(cells[c].strip());
        } catch (NumberFormatException e) {
            throw bad(c, "a number (NaN and Infinity allowed)");
        }
    }

    private long longAt(int c) {
        try {
            return Long.parseLong(cells[c].strip());
        } catch (NumberFormatException e) {
            throw bad(c, "an integer");
        }
    }

    private DataFormatException bad(int c, String expected) {
        return new DataFormatException("spectrum " + file + " line " + line + " column " + (c + 1) + " ("
                + names[c] + "): expected " + expected + ", found '" + cells[c] + "'");
    }
}
