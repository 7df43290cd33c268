package dev.sedge.spectral;

import dev.sedge.api.NumericException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code reach + 1} snapshots θ (float, length p) of a series, from which the last
 * {@code reach} updates δ = θ_t − θ_{t−1} are formed on the fly, and the {@link GramTable} of those
 * updates. Taking a batch of snapshots computes the inner products of all its updates in one pass
 * ({@link BatchGramKernel}), then keeps the batch's last snapshots by exchanging arrays with it.
 * Update index i is the difference of snapshots i + 1 and i; it carries the later one's step.
 *
 * <p>Not thread-safe; owned by one {@link SnapshotSpectralEngine}.
 */
final class SnapshotRing {

    /**
     * What taking a batch did.
     *
     * @param firstUpdate the index of the first update it added
     * @param updates     how many updates it added to the table, in order
     * @param failure     why it stopped before the end of the batch, naming the step; empty if it did not
     */
    record Taken(long firstUpdate, int updates, Optional<NumericException> failure) {
    }

    private final int reach;
    private final float[][] held;
    /** The step and learning rate of the snapshot in each slot of {@link #held}. */
    private final long[] heldSteps;
    private final double[] heldRates;
    private final GramTable table;
    private final double[][] products;
    private long snapshots;

    /**
     * @param reach  how many earlier updates each update is paired with (W + stride − 1), ≥ 1
     * @param batch  the most snapshots per batch, ≥ 1
     * @param length p
     */
    SnapshotRing(int reach, int batch, int length) {
        this.reach = reach;
        this.held = new float[reach + 1][length];
        this.heldSteps = new long[reach + 1];
        this.heldRates = new double[reach + 1];
        this.table = new GramTable(reach + batch, reach);
        this.products = new double[batch][reach + 1];
    }

    /** How many snapshots were taken. */
    long snapshots() {
        return snapshots;
    }

    /**
     * The snapshots held, oldest first: the last {@code min(snapshots, reach + 1)}. Their arrays are
     * this ring's own, valid until the next {@link #take}.
     */
    List<SnapshotSpectralEngine.Kept> kept() {
        int count = (int) Math.min(snapshots, reach + 1);
        List<SnapshotSpectralEngine.Kept> out = new ArrayList<>(count);
        for (long i = snapshots - count; i < snapshots; i++) {
            int slot = slot(i);
            out.add(new SnapshotSpectralEngine.Kept(heldSteps[slot], held[slot], heldRates[slot]));
        }
        return out;
    }

    /** The inner products, steps and rates of the updates. */
    GramTable table() {
        return table;
    }

    /**
     * Takes every snapshot of {@code batch} and empties it. On a non-finite snapshot or update the
     * updates before it are in the table, the failure is returned, and this ring must not be used
     * again (its snapshots are not brought up to date).
     *
     * @param batch   up to the batch size given at construction, steps after the last one taken (not checked here);
     *                emptied, and its arrays exchanged with this ring's
     * @param threads the most threads the pass may use
     */
    Taken take(SnapshotBatch batch, int threads) {
        int k = batch.size();
        long firstUpdate = table.count();
        if (k == 0) {
            return new Taken(firstUpdate, 0, Optional.empty());
        }
        try {
            int start = 0;
            if (snapshots == 0) { // the first snapshot makes no update: check it on its own
                float[] theta = batch.snapshot(0);
                if (NonFiniteUpdate.firstBadIndex(theta) >= 0) {
                    NumericException bad = NonFiniteUpdate.of("snapshot", batch.step(0), theta);
                    return failed(firstUpdate, 0, batch.located(0, bad));
                }
                start = 1;
            }
            if (k > start) {
                int stored = (int) Math.min(snapshots, reach + 1);
                float[][] chain = new float[stored + k][];
                for (int i = 0; i < stored; i++) {
                    chain[i] = held[slot(snapshots - stored + i)];
                }
                for (int e = 0; e < k; e++) {
                    chain[stored + e] = batch.snapshot(e);
                }
                int first = Math.max(0, stored - 1);
                BatchGramKernel.products(chain, first, reach, products, threads);
                for (int j = 0; j < k - start; j++) {
                    int previous = table.previous();
                    int e = start + j;
                    if (!finite(products[j], previous + 1)) {
                        return failed(firstUpdate, j, batch.located(e, unusable(batch, e, chain, first + j)));
                    }
                    table.append(batch.step(e), batch.rate(e), products[j], 0, previous);
                }
            }
            for (int e = 0; e < k; e++) {
                int slot = slot(snapshots + e);
                held[slot] = batch.exchange(e, held[slot]);
                heldSteps[slot] = batch.step(e);
                heldRates[slot] = batch.rate(e);
            }
            snapshots += k;
            return new Taken(firstUpdate, k - start, Optional.empty());
        } finally {
            batch.clear();
        }
    }

    private static Taken failed(long firstUpdate, int updates, NumericException e) {
        return new Taken(firstUpdate, updates, Optional.of(e));
    }

    /** Why entry e's update has a non-finite product: its snapshot holds NaN or ±∞, or else the update overflows. */
    private static NumericException unusable(SnapshotBatch batch, int e, float[][] chain, int difference) {
        float[] theta = batch.snapshot(e);
        if (NonFiniteUpdate.firstBadIndex(theta) >= 0) {
            return NonFiniteUpdate.of("snapshot", batch.step(e), theta);
        }
        float[] older = chain[difference];
        float[] delta = new float[theta.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = theta[i] - older[i];
        }
        return NonFiniteUpdate.of("update", batch.step(e), delta);
    }

    private static boolean finite(double[] values, int count) {
        for (int q = 0; q < count; q++) {
            if (!Double.isFinite(values[q])) {
                return false;
            }
        }
        return true;
    }

    private int slot(long snapshot) {
        return (int) (snapshot % held.length);
    }
}
