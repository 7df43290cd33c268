package dev.sedge.spectral;

/**
 * The last {@code slots} updates (float, each of length n) and the inner products among them, kept
 * so that a window of W updates, and the cross products with the window {@code stride} updates
 * earlier, are always at hand. Update index i (0, 1, 2 …, in arrival order) lives in slot
 * {@code i mod slots}. Inserting index i computes its inner products with indices
 * i − slots + 1 … i − 1 and itself in one pass ({@link GramKernel}), writing it into the slot of
 * index i − slots, which no window still needs: a failed insert leaves every live update intact.
 * The inner products, steps and rates are kept in a {@link GramTable}.
 *
 * <p>Not thread-safe; owned by one {@link SpectralEngine}.
 */
final class UpdateRing {

    private final int slots;
    private final float[][] rows;
    private final GramTable table;
    private final double[] scratch;

    /**
     * @param slots  how many updates to keep, ≥ 2 (W + stride for an engine)
     * @param length n, the length of each update
     */
    UpdateRing(int slots, int length) {
        this.slots = slots;
        this.rows = new float[slots][length];
        this.table = new GramTable(slots, slots - 1);
        this.scratch = new double[slots];
    }

    /** How many updates were inserted; the newest has index {@code count() − 1}. */
    long count() {
        return table.count();
    }

    /** The inner products, steps and learning rates of the held updates. */
    GramTable table() {
        return table;
    }

    /**
     * Inserts {@code x} as index {@link #count()}.
     *
     * @param x       length n, finite; copied, not modified
     * @param step    the step it belongs to (for messages and for the windows)
     * @param rate    the learning rate in force, or NaN
     * @param threads the most threads the pass may use
     * @throws dev.sedge.api.NumericException if {@code x} holds NaN or ±∞ (nothing is changed then)
     */
    void insert(float[] x, long step, double rate, int threads) {
        long n = table.count();
        int previous = table.previous();
        float[][] operands = new float[previous][];
        for (int k = 0; k < previous; k++) {
            operands[k] = rows[slot(n - previous + k)];
        }
        GramKernel.dotsAndCopy(x, operands, previous, rows[slot(n)], scratch, threads);
        for (int k = 0; k <= previous; k++) {
            if (!Double.isFinite(scratch[k])) {
                throw NonFiniteUpdate.of("update", step, x);
            }
        }
        table.append(step, rate, scratch, 0, previous);
    }

    /**
     * The stored update of index {@code i}, one of the last {@code slots − 1} (the oldest slot is the
     * one the next insert overwrites, possibly half-way if it fails). The ring's own array: do not modify.
     */
    float[] row(long i) {
        long count = table.count();
        if (i < 0 || i >= count || i < count - (slots - 1)) {
            throw new IllegalStateException("update index " + i + " is not held: the ring holds the rows of indices "
                    + Math.max(0, count - (slots - 1)) + ".." + (count - 1) + " here");
        }
        return rows[slot(i)];
    }

    private int slot(long i) {
        return (int) (i % slots);
    }
}
