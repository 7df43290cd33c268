package dev.sedge.spectral;

import dev.sedge.api.ConfigException;
import dev.sedge.api.detect.EdgeStatistics;
import java.util.Objects;
import java.util.Optional;

/**
 * The streaming spectral engine (docs/science.md, "The rolling-window Gram matrix"; docs/architecture.md): a rolling
 * window of the last W updates δ of one parameter group and their W × W Gram matrix, updated in O(W·p) per
 * update (one pass that reads the update once) and decomposed by EJML when a window is due.
 *
 * <p>Call order: {@link #accept} once per update, in increasing step order. The first window is
 * emitted by the W-th update, then one every {@code stride} updates. {@link #edgeDirections} and
 * {@link #gram} describe the latest emitted window until the next {@code accept}.
 *
 * <p>Numerics: inner products of float updates with float partial sums per block, accumulated
 * in double (about 1e-8 relative error); everything after, in double. Centering is derived from the
 * uncentered Gram in O(W²) (C G C); its absolute error is that of G, so centered eigenvalues far
 * below about 1e-8·max_i G_ii lose relative accuracy. Eigenvalues are ≥ 0 (rounding negatives are
 * clamped); the last eigenvalue of a centered window is 0 by construction.
 *
 * <p>Threading: one engine is confined to one thread; it uses up to {@code options.threads()}
 * threads of the common fork-join pool inside a call. Memory: see {@link SpectralOptions}.
 *
 * <p>For a stored trajectory, {@link SnapshotSpectralEngine} computes the same windows from the
 * snapshots in batches, with far less memory traffic per update.
 */
public final class SpectralEngine {

    private final SpectralOptions options;
    private final int dimension;
    private final Sketch sketch;
    private final UpdateRing ring;
    private final WindowEmitter emitter;
    private long lastStep;

    /**
     * @param options   window, stride, centering, threads, sketch
     * @param dimension p, the length of every update (the parameter group's size), ≥ 1
     * @throws ConfigException if the W + stride stored updates would not fit in the heap
     */
    public SpectralEngine(SpectralOptions options, int dimension) {
        this.options = Objects.requireNonNull(options, "options");
        if (dimension < 1) {
            throw new IllegalArgumentException("update dimension p must be >= 1, found " + dimension);
        }
        this.dimension = dimension;
        this.sketch = options.sketched()
                ? options.sketchTransform().sketch(options.sketchDimension(), options.sketchSeed()) : null;
        int stored = options.sketched() ? options.sketchDimension() : dimension;
        int slots = options.window() + options.stride();
        requireHeap(options, stored, slots, "");
        this.ring = new UpdateRing(slots, stored);
        this.emitter = new WindowEmitter(options, stored);
    }

    /**
     * Refuses {@code rows} stored vectors of {@code stored} floats that would not fit in the heap.
     *
     * @param extra what the rows beyond W + stride are for, e.g. {@code " and a batch of 20"}; or empty
     * @throws ConfigException if 4·rows·stored bytes exceed 90 % of the heap
     */
    static void requireHeap(SpectralOptions options, int stored, int rows, String extra) {
        long bytes = 4L * rows * stored;
        long available = Runtime.getRuntime().maxMemory();
        if (bytes > available / 10 * 9) {
            throw new ConfigException(String.format("a window of W = %d with stride %d%s over p = %,d parameters keeps"
                    + " %d updates (%.2f GB) but this JVM may use at most %.2f GB. Use a sketch (sketch dimension"
                    + " 10W = %d keeps %.4f GB), a smaller stride or parameter group, or a larger -Xmx",
                    options.window(), options.stride(), extra, stored, rows, bytes / 1e9, available / 1e9,
                    10 * options.window(), 40.0 * options.window() * rows / 1e9));
        }
    }

    public SpectralOptions options() {
        return options;
    }

    /** p, the length every update must have. */
    public int dimension() {
        return dimension;
    }

    /** How many updates were accepted. */
    public long updates() {
        return ring.count();
    }

    /** {@link #accept(long, float[], double)} without a learning rate (the adiabatic parameter is then NaN). */
    public Optional<WindowSpectrum> accept(long step, float[] update) {
        return accept(step, update, Double.NaN);
    }

    /**
     * Takes the next update and returns the window it completes, if one is due.
     *
     * @param step         the step of the update's later snapshot; greater than the previous one
     * @param update       δ = θ_step − θ_previous, length p; copied (the caller may reuse it), not modified
     * @param learningRate η in force at this step, &gt; 0, or NaN if unknown
     * @return the window ending at {@code step}, or empty if none is due
     * @throws IllegalArgumentException for a wrong length, a step not after the previous one, or a
     *                                  learning rate that is not positive
     * @throws dev.sedge.api.NumericException if the update holds NaN or ±∞ (the engine is unchanged
     *                                  and may take the next update), or if the window's eigenproblem
     *                                  fails (the update is kept; the next window is not compared with
     *                                  an earlier one)
     */
    public Optional<WindowSpectrum> accept(long step, float[] update, double learningRate) {
        Objects.requireNonNull(update, "update");
        if (update.length != dimension) {
            throw new IllegalArgumentException("the update at step " + step + " has length " + update.length
                    + "; expected p = " + dimension + ", the size of the parameter group this engine was made for."
                    + " Feed one parameter group per engine");
        }
        if (ring.count() > 0 && step <= lastStep) {
            throw new IllegalArgumentException("update steps must increase: step " + step + " came after step "
                    + lastStep + ". Feed updates in the order of their snapshots");
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("the learning rate at step " + step + " must be > 0 and finite, or NaN"
                    + " when unknown; found " + learningRate);
        }
        float[] stored = update;
        if (sketch != null) {
            stored = sketch.apply(update, options.threads());
            if (NonFiniteUpdate.firstBadIndex(stored) >= 0) {
                throw NonFiniteUpdate.of("update", step, update);
            }
        }
        ring.insert(stored, step, learningRate, options.threads());
        lastStep = step;
        long last = ring.count() - 1;
        return emitter.due(last) ? Optional.of(emitter.emit(ring.table(), last)) : Optional.empty();
    }

    /**
     * The Gram matrix of the latest emitted window (centered if the options say so), oldest update
     * first, λ units.
     *
     * @return a new W × W array
     * @throws IllegalStateException if no window was emitted yet
     */
    public double[][] gram() {
        return emitter.gram(ring.count());
    }

    /**
     * Edge directions v_1..v_count of the latest emitted window: v_j = Xᵀ(C)u_j / σ_j, unit vectors in
     * parameter space (up to float rounding); the sign is that of the eigenvector EJML returned.
     * One pass over the window: O(count·W·p).
     *
     * @param count how many, 1 ≤ count ≤ W, each with σ_j &gt; 0
     * @return count new arrays of length p
     * @throws IllegalStateException if no window was emitted, an update was accepted since, or the
     *                               engine sketches (v_j then lives in the sketch space)
     * @throws IllegalArgumentException if count is out of range or some σ_j = 0 (v_j undefined)
     */
    public float[][] edgeDirections(int count) {
        int w = options.window();
        if (count < 1 || count > w) {
            throw new IllegalArgumentException("edge direction count must be in 1..W = 1.." + w + ", found " + count);
        }
        int[] which = new int[count];
        for (int j = 0; j < count; j++) {
            which[j] = j + 1;
        }
        return directions(which);
    }

    /** v_j (1-based) of the latest emitted window, one pass O(W·p); see {@link #edgeDirections}. */
    public float[] edgeDirection(int j) {
        if (j < 1 || j > options.window()) {
            throw new IllegalArgumentException("edge direction index must be in 1..W = 1.." + options.window()
                    + ", found " + j);
        }
        return directions(new int[] {j})[0];
    }

    private float[][] directions(int[] which) {
        WindowEmitter.Emitted e = emitter.requireLatest("edge directions", ring.count());
        if (sketch != null) {
            throw new IllegalStateException("edge directions are not available from a sketched engine: it keeps"
                    + " d = " + sketch.dimension() + " projections, not the p = " + dimension + " parameters. Run"
                    + " without a sketch (sketch dimension 0) to get v_j");
        }
        int w = options.window();
        double[][] c = new double[which.length][w];
        for (int k = 0; k < which.length; k++) {
            int j = which[k] - 1;
            if (!(e.sigma[j] > 0)) {
                int rank = EdgeStatistics.countAbove(e.sigma, 0);
                throw new IllegalArgumentException("v_" + (j + 1) + " is undefined at step " + e.step + ": sigma_"
                        + (j + 1) + " = 0 (the window has rank " + rank + "). Ask for v_1..v_" + rank + " only");
            }
            for (int r = 0; r < w; r++) {
                c[k][r] = e.coefficients[r][j];
            }
        }
        float[][] rows = new float[w][];
        for (int r = 0; r < w; r++) {
            rows[r] = ring.row(e.first + r);
        }
        return DirectionKernel.combine(rows, c, options.threads());
    }
}
