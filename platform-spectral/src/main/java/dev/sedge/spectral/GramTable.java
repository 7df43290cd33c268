package dev.sedge.spectral;

/**
 * The inner products ⟨δ_a, δ_b⟩ among the last {@code capacity} updates (index 0, 1, 2 … in arrival
 * order), with the step and learning rate of each: all that a window needs to be emitted. An update
 * enters with its products with the {@code reach} updates before it, so a pair is held when both
 * are among the last {@code capacity} and at most {@code reach} apart. Index i lives in slot
 * {@code i mod capacity}; appending index i overwrites only entries of indices ≤ i − capacity.
 *
 * <p>Not thread-safe; owned by one ring ({@link UpdateRing}, {@link SnapshotRing}).
 */
final class GramTable {

    private final int capacity;
    private final int reach;
    private final double[][] inner;
    private final long[] steps;
    private final double[] rates;
    private long count;

    /**
     * @param capacity how many updates to hold, ≥ 2
     * @param reach    how many earlier updates each new one is paired with, 1 ≤ reach &lt; capacity
     */
    GramTable(int capacity, int reach) {
        this.capacity = capacity;
        this.reach = reach;
        this.inner = new double[capacity][capacity];
        this.steps = new long[capacity];
        this.rates = new double[capacity];
    }

    /** How many updates were appended; the newest has index {@code count() − 1}. */
    long count() {
        return count;
    }

    /** How many earlier updates the next one must be paired with: min(reach, count). */
    int previous() {
        return (int) Math.min(count, reach);
    }

    /**
     * Appends index {@link #count()}.
     *
     * @param step     the step of the update
     * @param rate     the learning rate in force, or NaN
     * @param products {@code previous + 1} finite values: {@code products[k] = ⟨δ_new, δ_{count − previous + k}⟩}
     *                 for k &lt; previous (oldest first), {@code products[previous] = ⟨δ_new, δ_new⟩}; not modified
     * @param from     where the values start in {@code products}
     * @param previous {@link #previous()}, checked
     */
    void append(long step, double rate, double[] products, int from, int previous) {
        if (previous != previous()) {
            throw new IllegalStateException("an update needs its products with " + previous() + " earlier ones, "
                    + previous + " were given");
        }
        long n = count;
        int target = slot(n);
        for (int k = 0; k < previous; k++) {
            int other = slot(n - previous + k);
            inner[target][other] = products[from + k];
            inner[other][target] = products[from + k];
        }
        inner[target][target] = products[from + previous];
        steps[target] = step;
        rates[target] = rate;
        count = n + 1;
    }

    /** ⟨δ_a, δ_b⟩ for two held indices at most {@code reach} apart. */
    double inner(long a, long b) {
        return inner[slot(checked(a))][slot(checked(b))];
    }

    /**
     * The {@code size × size} block ⟨δ_{rows + a}, δ_{columns + b}⟩ of held indices (a window's Gram
     * when {@code rows == columns}, the cross products of two windows otherwise).
     *
     * @return a new array
     */
    double[][] block(long rows, long columns, int size) {
        double[][] out = new double[size][size];
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                out[a][b] = inner(rows + a, columns + b);
            }
        }
        return out;
    }

    /** The step of held index {@code i}. */
    long step(long i) {
        return steps[slot(checked(i))];
    }

    /** The learning rate given with held index {@code i}; NaN if none was. */
    double rate(long i) {
        return rates[slot(checked(i))];
    }

    private int slot(long i) {
        return (int) (i % capacity);
    }

    private long checked(long i) {
        if (i < 0 || i >= count || i < count - capacity) {
            throw new IllegalStateException("update index " + i + " is not held: the table holds indices "
                    + Math.max(0, count - capacity) + ".." + (count - 1) + " here");
        }
        return i;
    }
}
