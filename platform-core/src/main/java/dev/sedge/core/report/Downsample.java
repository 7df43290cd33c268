package dev.sedge.core.report;

import java.util.BitSet;

/**
 * Which rows of a long series a chart shows (docs/reports.md, "Large runs"): all of them up to
 * {@link #LIMIT}; beyond, the rows are cut into {@link #BUCKETS} buckets of consecutive rows, and each bucket
 * keeps its first and last row and, for every column, the rows that hold the column's smallest and largest
 * value. Every plotted series keeps its extremes exactly (a spike is never averaged away), and the page stays
 * small: at most 2 + 2·columns rows a bucket.
 */
final class Downsample {

    /** Rows shown as they are. */
    static final int LIMIT = 2000;
    /** Buckets of a longer series. */
    static final int BUCKETS = 300;

    private Downsample() {
    }

    /**
     * The rows to keep, ascending.
     *
     * @param columns one array per series, each one value per row; NaN values are never an extreme
     */
    static int[] rows(int count, double[]... columns) {
        if (count <= LIMIT) {
            return java.util.stream.IntStream.range(0, count).toArray();
        }
        BitSet kept = new BitSet(count);
        for (int b = 0; b < BUCKETS; b++) {
            int from = (int) ((long) count * b / BUCKETS);
            int to = (int) ((long) count * (b + 1) / BUCKETS);
            if (from >= to) {
                continue;
            }
            kept.set(from);
            kept.set(to - 1);
            for (double[] column : columns) {
                int min = -1;
                int max = -1;
                for (int i = from; i < to; i++) {
                    double v = column[i];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (min < 0 || v < column[min]) {
                        min = i;
                    }
                    if (max < 0 || v > column[max]) {
                        max = i;
                    }
                }
                if (min >= 0) {
                    kept.set(min);
                    kept.set(max);
                }
            }
        }
        return kept.stream().toArray();
    }
}
