package dev.sedge.core.spectral;

/**
 * The last {@code slots} updates (float, each of length n) and the inner products among them, kept
 * so that a window of W updates, and the cross products with the window {@code stride} updates
 * earlier, are always at hand. Update index i (0, 1, 2 …, in arrival order) lives in slot
 * {@code i mod slots}. Inserting index i computes its inner products with indices
 * i − slots + 1 … i − 1 and itself in one pass ({@link GramKernel}), writing it into the slot of
 * index i − slots, which no window still needs: a failed insert leaves every live update intact.
 *
 * <p>Not thread-safe; owned by one {@link SpectralEngine}.
 */
final class UpdateRing {

    private final int slots;
    private final float[][] rows;
    private final double[][] inner;
    private final long[] steps;
    private final double[] rates;
    private final double[] scratch;
    private long count;

    /**
     * @param slots  how many updates to keep, ≥ 2 (W + stride for an engine)
     * @param length n, the length of each update
     */
    UpdateRing(int slots, int length) {
        this.slots = slots;
        this.rows = new float[slots][length];
        this.inner = new double[slots][slots];
        this.steps = new long[slots];
        this.rates = new double[slots];
        this.scratch = new double[slots];
    }

    /** How many updates were inserted; the newest has index {@code count() − 1}. */
    long count() {
        return count;
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
        long n = count;
        int previous = (int) Math.min(n, slots - 1);
        float[][] operands = new float[previous][];
        for (int k = 0; k < previous; k++) {
            operands[k] = rows[slot(n - previous + k)];
        }
        int target = slot(n);
        GramKernel.dotsAndCopy(x, operands, previous, rows[target], scratch, threads);
        for (int k = 0; k <= previous; k++) {
            if (!Double.isFinite(scratch[k])) {
                throw NonFiniteUpdate.of("update", step, x);
            }
        }
        for (int k = 0; k < previous; k++) {
            int other = slot(n - previous + k);
            inner[target][other] = scratch[k];
            inner[other][target] = scratch[k];
        }
        inner[target][target] = scratch[previous];
        steps[target] = step;
        rates[target] = rate;
        count = n + 1;
    }

    /** ⟨δ_a, δ_b⟩ for two of the last {@code slots} indices. */
    double inner(long a, long b) {
        return inner[slot(checked(a, slots))][slot(checked(b, slots))];
    }

    /**
     * The stored update of index {@code i}, one of the last {@code slots − 1} (the oldest slot is the
     * one the next insert overwrites, possibly half-way if it fails). The ring's own array: do not modify.
     */
    float[] row(long i) {
        return rows[slot(checked(i, slots - 1))];
    }

    /** The step of index {@code i}, one of the last {@code slots}. */
    long step(long i) {
        return steps[slot(checked(i, slots))];
    }

    /** The learning rate given with index {@code i}, one of the last {@code slots}; NaN if none was. */
    double rate(long i) {
        return rates[slot(checked(i, slots))];
    }

    private int slot(long i) {
        return (int) (i % slots);
    }

    private long checked(long i, int held) {
        if (i < 0 || i >= count || i < count - held) {
            throw new IllegalStateException("update index " + i + " is not held: the ring holds indices "
                    + Math.max(0, count - held) + ".." + (count - 1) + " here");
        }
        return i;
    }
}
