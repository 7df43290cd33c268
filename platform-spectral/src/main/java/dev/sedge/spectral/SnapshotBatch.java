package dev.sedge.spectral;

import dev.sedge.api.NumericException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Up to {@link #capacity()} consecutive snapshots θ of one parameter group, written straight into
 * arrays the {@link SnapshotSpectralEngine} then keeps: the engine takes the arrays of the snapshots
 * it needs later and gives the batch others of the same length, so no snapshot is ever copied.
 * Made by {@link SnapshotSpectralEngine#newBatch()}; holds {@code capacity × p} floats.
 *
 * <p>Call order: {@link #add} until {@link #isFull()} (or the snapshots run out), then
 * {@link SnapshotSpectralEngine#accept}, which empties the batch. Confined to one thread.
 */
public final class SnapshotBatch {

    private final float[][] buffers;
    private final long[] steps;
    private final double[] rates;
    private final String[] origins;
    private int size;

    SnapshotBatch(int capacity, int dimension) {
        this.buffers = new float[capacity][dimension];
        this.steps = new long[capacity];
        this.rates = new double[capacity];
        this.origins = new String[capacity];
    }

    /** B, the most snapshots the batch holds. */
    public int capacity() {
        return buffers.length;
    }

    /** How many snapshots were added since the batch was last accepted. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == buffers.length;
    }

    /**
     * Adds the snapshot θ_step: {@code fill} writes it into an array of the batch.
     *
     * @param step         its step, greater than the step of the snapshot added before it
     * @param learningRate η in force at this step, &gt; 0, or NaN if unknown
     * @param origin       where the snapshot comes from, e.g. {@code "checkpoint runs/a/step-100.safetensors"}:
     *                     appended to the message of any exception about it; empty for none
     * @param fill         receives an array of length p with undefined contents and must overwrite all p
     *                     values with θ; the array belongs to the batch (do not keep it). If {@code fill}
     *                     throws, the batch is unchanged
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException for a step not after the previous one in the batch, or a
     *                                  learning rate that is not positive
     */
    public void add(long step, double learningRate, String origin, Consumer<float[]> fill) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(fill, "fill");
        if (isFull()) {
            throw new IllegalStateException("the batch holds its " + buffers.length + " snapshots already; pass it to"
                    + " SnapshotSpectralEngine.accept before adding step " + step);
        }
        if (size > 0 && step <= steps[size - 1]) {
            throw new IllegalArgumentException("snapshot steps must increase: step " + step + " came after step "
                    + steps[size - 1] + ". Add snapshots in step order");
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("the learning rate at step " + step + " must be > 0 and finite, or NaN"
                    + " when unknown; found " + learningRate);
        }
        fill.accept(buffers[size]);
        steps[size] = step;
        rates[size] = learningRate;
        origins[size] = origin;
        size++;
    }

    /** {@link #add(long, double, String, Consumer)} without a learning rate or origin. */
    public void add(long step, Consumer<float[]> fill) {
        add(step, Double.NaN, "", fill);
    }

    /** p, the length of each snapshot. */
    int dimension() {
        return buffers[0].length;
    }

    /** θ of entry {@code e}; the batch's own array. */
    float[] snapshot(int e) {
        return buffers[e];
    }

    long step(int e) {
        return steps[e];
    }

    double rate(int e) {
        return rates[e];
    }

    /** The exception {@code e} with this entry's origin appended to its message (or {@code e} itself if none). */
    NumericException located(int entry, NumericException e) {
        return located(origins[entry], e);
    }

    /** The exception {@code e} with {@code origin} appended to its message (or {@code e} itself if it is empty). */
    static NumericException located(String origin, NumericException e) {
        return origin.isEmpty() ? e : new NumericException(e.getMessage() + " (in " + origin + ")", e);
    }

    /**
     * Gives entry {@code e}'s array away and takes {@code replacement} in its place.
     *
     * @param replacement an array of length p no one else holds
     * @return the array that held entry {@code e}
     */
    float[] exchange(int e, float[] replacement) {
        float[] taken = buffers[e];
        buffers[e] = replacement;
        return taken;
    }

    /** Drops every entry (the arrays stay). */
    void clear() {
        size = 0;
        Arrays.fill(origins, null);
    }
}
