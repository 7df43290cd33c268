package dev.sedge.spectral;

import dev.sedge.api.ConfigException;
import dev.sedge.api.NumericException;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The spectral engine for a stored trajectory: it takes the snapshots θ themselves, in batches of
 * up to B, and emits exactly the windows a {@link SpectralEngine} fed the updates
 * δ_t = θ_t − θ_{t−1} one by one would ({@link SnapshotDifferencer} then {@link SpectralEngine#accept}),
 * bit for bit, in the same order.
 *
 * <p>Why snapshots: one update needs its inner products with the W + stride − 1 before it, so one
 * update at a time streams W + stride stored rows of p floats per update. A batch streams the
 * stored rows once for B updates, and forming δ inside that pass (from the snapshots, block by
 * block) means no update is ever written out: per update the pass reads about
 * 1 + (W + stride)/B rows of p floats and writes nothing. The snapshots arrive in arrays the engine
 * then keeps (see {@link SnapshotBatch}), so nothing is copied either. With a sketch the engine
 * differences each snapshot into one reusable array and feeds a {@link SpectralEngine}: the
 * projection, not memory, bounds that case.
 *
 * <p>Call order: {@link #newBatch}, then repeatedly fill it with {@link SnapshotBatch#add} and pass it
 * to {@link #accept}. The first window is emitted by the (W + 1)-th snapshot (the W-th update),
 * then one every {@code stride} updates. No edge directions: use {@link SpectralEngine} for those.
 *
 * <p>Threading: confined to one thread; uses up to {@code options.threads()} threads of the
 * common fork-join pool inside {@link #accept}. Memory: W + stride snapshots kept plus B per batch,
 * 4·(W + stride + B)·p bytes.
 */
public final class SnapshotSpectralEngine {

    /**
     * A snapshot the engine keeps (see {@link #kept}).
     *
     * @param theta the engine's own array: do not modify
     * @param rate  η given with it, or NaN
     */
    public record Kept(long step, float[] theta, double rate) {
    }

    /** How many snapshots {@link #warmUpOnce} takes: enough for C2 to compile the pass's loops. */
    static final int WARM_UP_SNAPSHOTS = 200;
    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

    private final SpectralOptions options;
    private final int dimension;
    private final int batchSize;
    private final SnapshotRing ring;
    private final WindowEmitter emitter;
    private final SketchedFeed sketched;
    private boolean started;
    private long lastStep;
    private Throwable failure;

    /**
     * @param options   window, stride, centering, threads, sketch
     * @param dimension p, the length of every snapshot (the parameter group's size), ≥ 1
     * @param batchSize B, the most snapshots per batch, ≥ 1 (see {@link #defaultBatchSize})
     * @throws ConfigException if the W + stride kept snapshots and one batch would not fit in the heap
     */
    public SnapshotSpectralEngine(SpectralOptions options, int dimension, int batchSize) {
        this.options = Objects.requireNonNull(options, "options");
        if (dimension < 1) {
            throw new IllegalArgumentException("snapshot dimension p must be >= 1, found " + dimension);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
        }
        this.dimension = dimension;
        this.batchSize = batchSize;
        if (options.sketched()) {
            SpectralEngine engine = new SpectralEngine(options, dimension);
            SpectralEngine.requireHeap(options, dimension, batchSize + 2, " (sketched), batches of " + batchSize);
            this.sketched = new SketchedFeed(engine, dimension);
            this.ring = null;
            this.emitter = null;
        } else {
            int reach = options.window() + options.stride() - 1;
            SpectralEngine.requireHeap(options, dimension, reach + 1 + batchSize, " and batches of " + batchSize
                    + " snapshots");
            this.ring = new SnapshotRing(reach, batchSize, dimension);
            this.emitter = new WindowEmitter(options, dimension);
            this.sketched = null;
        }
    }

    /**
     * A batch size that amortises the stored rows well, B = W + stride (a pass then reads about two
     * rows of p floats per update), lowered so that the kept snapshots and one batch stay within half
     * the heap; 1 for a sketched engine.
     *
     * @param dimension p
     */
    public static int defaultBatchSize(SpectralOptions options, int dimension) {
        if (options.sketched()) {
            return 1;
        }
        int kept = options.window() + options.stride();
        long budget = Runtime.getRuntime().maxMemory() / 2 / (4L * dimension);
        return (int) Math.max(1, Math.min(kept, budget - kept));
    }

    /**
     * On the first call in this JVM, starts a daemon thread that runs a small synthetic series (p = 4
     * blocks, {@link #WARM_UP_SNAPSHOTS} snapshots, one thread) through an engine with these options and
     * batch size, dropping its windows, so that the JIT has compiled the Gram pass before real snapshots
     * arrive: until then the Vector API runs interpreted, tens of times slower, and a live monitor's
     * first batches would take a few hundred milliseconds each. Later calls do nothing. Results never
     * depend on it: the pass gives the same bits compiled or not, and a failure of the warm-up is ignored.
     */
    public static void warmUpOnce(SpectralOptions options, int batchSize) {
        if (WARMED_UP.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("sedge-spectrum-warm-up").start(() -> {
                try {
                    warmUp(options, batchSize);
                } catch (RuntimeException e) {
                    // only speed was at stake
                }
            });
        }
    }

    private static void warmUp(SpectralOptions options, int batchSize) {
        int p = 4 * GramKernel.BLOCK;
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options.withThreads(1), p, batchSize);
        SnapshotBatch batch = engine.newBatch();
        SplittableRandom random = new SplittableRandom(batchSize);
        float[] theta = new float[p];
        for (int t = 0; t < WARM_UP_SNAPSHOTS; t++) {
            for (int i = 0; i < p; i++) {
                theta[i] += (float) random.nextGaussian();
            }
            batch.add(t, 1e-3, "", values -> System.arraycopy(theta, 0, values, 0, p));
            if (batch.isFull()) {
                engine.accept(batch, window -> { });
            }
        }
    }

    public SpectralOptions options() {
        return options;
    }

    /** p, the length every snapshot must have. */
    public int dimension() {
        return dimension;
    }

    /** B, the capacity of the batches this engine makes. */
    public int batchSize() {
        return batchSize;
    }

    /** How many snapshots were taken. */
    public long snapshots() {
        return sketched != null ? sketched.engine.updates() + (sketched.primed ? 1 : 0) : ring.snapshots();
    }

    /**
     * The snapshots this engine keeps, oldest first: the last W + stride taken (all of them before
     * that). Fed to a fresh engine with the same options, they leave it computing what this one will
     * (see {@code SnapshotHistory} in the trainer for which suffix to feed when windows must fall at the
     * same updates). The arrays are the engine's: read them before the next {@link #accept}.
     *
     * @throws IllegalStateException for a sketched engine (it keeps only the latest snapshot) or after a
     *                               failed {@link #accept}
     */
    public List<Kept> kept() {
        if (sketched != null) {
            throw new IllegalStateException("a sketched engine keeps only its latest snapshot, not the last W + stride");
        }
        if (failure != null) {
            throw new IllegalStateException("this engine stopped at an earlier error: its kept snapshots are not"
                    + " those of whole batches (" + failure.getMessage() + ")", failure);
        }
        return ring.kept();
    }

    /** How many updates were taken (one fewer than the snapshots, once there is one). */
    public long updates() {
        return sketched != null ? sketched.engine.updates() : ring.table().count();
    }

    /** A new, empty batch of {@link #batchSize()} arrays of length p (4·B·p bytes). */
    public SnapshotBatch newBatch() {
        return new SnapshotBatch(batchSize, dimension);
    }

    /**
     * Takes every snapshot in {@code batch}, in order, and hands each window they complete to
     * {@code sink} in step order, exactly as the single-update path would have produced them.
     *
     * @param batch a batch made by this engine, its steps after those already taken; emptied (its
     *              arrays exchanged with the engine's)
     * @param sink  receives each window, on this thread, before the next is computed
     * @throws IllegalArgumentException if the batch is not of this engine's B and p, or its first step is
     *                                  not after the last one taken (nothing is changed then)
     * @throws NumericException         for a snapshot holding NaN or ±∞ or an update that overflows
     *                                  (naming the step and the batch entry's origin), or a failed
     *                                  eigenproblem; the windows before it went to {@code sink}, and
     *                                  the engine cannot be used again
     * @throws IllegalStateException    if an earlier call failed (other than by an illegal argument): the
     *                                  engine's state is then not that of a series of whole batches
     */
    public void accept(SnapshotBatch batch, Consumer<? super WindowSpectrum> sink) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(sink, "sink");
        if (failure != null) {
            throw new IllegalStateException("this engine stopped at an earlier error and cannot take more snapshots ("
                    + failure.getMessage() + "); start a new engine", failure);
        }
        if (batch.capacity() != batchSize || batch.dimension() != dimension) {
            throw new IllegalArgumentException("the batch holds " + batch.capacity() + " snapshots of p = "
                    + batch.dimension() + ", this engine takes batches of " + batchSize + " of p = " + dimension
                    + ": use one made by its newBatch()");
        }
        if (batch.isEmpty()) {
            return;
        }
        if (started && batch.step(0) <= lastStep) {
            throw new IllegalArgumentException("snapshot steps must increase: step " + batch.step(0)
                    + " came after step " + lastStep + ". Add snapshots in step order");
        }
        long last = batch.step(batch.size() - 1);
        try {
            if (sketched != null) {
                sketched.take(batch, sink);
            } else {
                SnapshotRing.Taken taken = ring.take(batch, options.threads());
                for (int j = 0; j < taken.updates(); j++) {
                    long index = taken.firstUpdate() + j;
                    if (emitter.due(index)) {
                        sink.accept(emitter.emit(ring.table(), index));
                    }
                }
                if (taken.failure().isPresent()) {
                    throw taken.failure().get();
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        }
        started = true;
        lastStep = last;
    }

    /**
     * The Gram matrix of the latest emitted window (centered if the options say so), oldest update
     * first, λ units.
     *
     * @return a new W × W array
     * @throws IllegalStateException if no window was emitted yet, or updates came after it
     */
    public double[][] gram() {
        return sketched != null ? sketched.engine.gram() : emitter.gram(ring.table().count());
    }

    /** The sketched path: each snapshot differenced into one reusable array and fed to a {@link SpectralEngine}. */
    private static final class SketchedFeed {
        private final SpectralEngine engine;
        private final float[] delta;
        private float[] previous;
        private boolean primed;

        SketchedFeed(SpectralEngine engine, int dimension) {
            this.engine = engine;
            this.delta = new float[dimension];
            this.previous = new float[dimension];
        }

        void take(SnapshotBatch batch, Consumer<? super WindowSpectrum> sink) {
            try {
                for (int e = 0; e < batch.size(); e++) {
                    float[] theta = batch.snapshot(e);
                    long step = batch.step(e);
                    if (NonFiniteUpdate.firstBadIndex(theta) >= 0) {
                        throw batch.located(e, NonFiniteUpdate.of("snapshot", step, theta));
                    }
                    if (primed) {
                        for (int i = 0; i < delta.length; i++) {
                            delta[i] = theta[i] - previous[i];
                        }
                        try {
                            engine.accept(step, delta, batch.rate(e)).ifPresent(sink);
                        } catch (NumericException x) {
                            throw batch.located(e, x);
                        }
                    }
                    previous = batch.exchange(e, previous);
                    primed = true;
                }
            } finally {
                batch.clear();
            }
        }
    }
}
