package dev.sedge.spectral;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The spectral engine for a stored trajectory streamed from its files: each snapshot θ arrives as
 * pieces (one per tensor of the group) that say where its float32 values lie, in a checkpoint file or
 * an array, and is never held whole on the heap. A batch of snapshots goes through one
 * {@link BatchGramKernel} pass with the W + stride kept before it: each worker reads a few tens of KB of
 * every snapshot at a time with positional reads, differences them and forms every needed inner
 * product there. The windows are exactly those of {@link SnapshotSpectralEngine} (and so of
 * {@link SpectralEngine} fed the updates one by one), bit for bit, in the same order.
 *
 * <p>Memory: independent of p·W. The heap holds the Gram table, one pass's sums and each worker's
 * staging (at most 1.5 MB, off-heap), a few MB in all; the files are read through the page cache, each batch's
 * snapshots and the kept ones once per pass. A series of up to {@link #defaultBatchSize} + 1 snapshots is
 * read exactly once. Positional reads, not memory mappings: measured on the same files, a mapping's
 * speed depended on how the kernel happened to hold the pages (3.5 to 15 GB/s), reads did not
 * (docs/scale.md). No sketch and no edge directions: use {@link SnapshotSpectralEngine} or
 * {@link SpectralEngine} for those.
 *
 * <p>Ownership: the engine releases each snapshot ({@link Snapshot#release()}) once no later pass reads
 * it, and every one it still holds on {@link #close()} or a failure. Confined to one thread; uses up to
 * {@code options.threads()} threads of the common fork-join pool inside {@link #accept}.
 */
public final class StreamingSpectralEngine implements AutoCloseable {

    /** Where one piece of a snapshot lies; it holds as many values as the engine's layout gives that piece. */
    public sealed interface Piece {

        /**
         * Little-endian float32 values in a file, from byte {@code offset}.
         *
         * @param channel read with positional reads only, from several threads; open until the snapshot's release
         */
        record InFile(FileChannel channel, long offset, Path file) implements Piece {
            public InFile {
                Objects.requireNonNull(channel, "channel");
                Objects.requireNonNull(file, "file");
            }
        }

        /** Values in an array, from {@code offset}. */
        record InArray(float[] values, int offset) implements Piece {
            public InArray {
                Objects.requireNonNull(values, "values");
            }
        }
    }

    /**
     * One snapshot, streamed.
     *
     * @param step    its step, after the previous snapshot's
     * @param rate    η in force, &gt; 0, or NaN
     * @param origin  where it comes from, appended to the message of any exception about it; empty for none
     * @param pieces  where θ's values lie, one piece per piece of the engine's layout, each holding that many
     *                values; readable until {@code release} runs
     * @param release called once when the engine no longer reads the pieces (closes the file)
     */
    public record Snapshot(long step, double rate, String origin, List<Piece> pieces, Runnable release) {
        public Snapshot {
            Objects.requireNonNull(origin, "origin");
            pieces = List.copyOf(pieces);
            Objects.requireNonNull(release, "release");
        }
    }

    /**
     * The most differences one pass forms by default: more snapshots per pass re-read the kept ones less
     * often, but share a worker's staging, so each is read in smaller pieces.
     */
    private static final int SCRATCH_DIFFERENCES = 60;

    private final SpectralOptions options;
    private final PieceLayout layout;
    private final int batchSize;
    private final int reach;
    private final Deque<Snapshot> held = new ArrayDeque<>();
    private final GramTable table;
    private final double[][] products;
    private final WindowEmitter emitter;
    private long snapshots;
    private Throwable failure;

    /**
     * @param options      window, stride, centering, threads; not sketched
     * @param pieceLengths the element count of each piece of every snapshot (one per tensor of the group), in order
     * @param batchSize    B, the most snapshots per {@link #accept}, ≥ 1 ({@link #defaultBatchSize})
     * @throws IllegalArgumentException for a sketch, a bad layout or batch size
     */
    public StreamingSpectralEngine(SpectralOptions options, List<Long> pieceLengths, int batchSize) {
        this.options = Objects.requireNonNull(options, "options");
        if (options.sketched()) {
            throw new IllegalArgumentException("a sketched spectrum projects each update on the heap; use"
                    + " SnapshotSpectralEngine for it");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
        }
        this.layout = new PieceLayout(pieceLengths);
        this.batchSize = batchSize;
        this.reach = options.window() + options.stride() - 1;
        this.table = new GramTable(reach + batchSize, reach);
        this.products = new double[batchSize][reach + 1];
        this.emitter = new WindowEmitter(options, layout.dimension());
    }

    /**
     * B = W + stride, raised so that a pass forms about 60 differences: a pass then reads 1 + (W + stride)/B
     * snapshots per update, and a series of B + 1 snapshots once.
     */
    public static int defaultBatchSize(SpectralOptions options) {
        int reach = options.window() + options.stride() - 1;
        return Math.max(reach + 1, SCRATCH_DIFFERENCES - reach);
    }

    /** p. */
    public int dimension() {
        return layout.dimension();
    }

    /** B. */
    public int batchSize() {
        return batchSize;
    }

    /** How many updates were taken. */
    public long updates() {
        return table.count();
    }

    /**
     * Takes the snapshots of {@code batch}, in order, and hands each window they complete to {@code sink}
     * in step order. The engine owns every snapshot of the batch from the call on, whatever happens.
     *
     * @param batch up to B snapshots, steps increasing and after those taken
     * @param sink  receives each window, on this thread
     * @throws IllegalArgumentException if the batch is too large, its steps do not increase, a rate is not
     *                                  positive, or a snapshot's pieces do not match the layout (nothing taken)
     * @throws NumericException         for a snapshot holding NaN or ±∞ or an update that overflows, naming
     *                                  the step, index and origin; the windows before it went to {@code sink},
     *                                  and the engine cannot be used again
     * @throws IllegalStateException    if an earlier call failed (other than by an illegal argument)
     */
    public void accept(List<Snapshot> batch, Consumer<? super WindowSpectrum> sink) {
        Objects.requireNonNull(sink, "sink");
        try {
            if (failure != null) {
                throw new IllegalStateException("this engine stopped at an earlier error and cannot take more snapshots ("
                        + failure.getMessage() + "); start a new engine", failure);
            }
            check(batch);
        } catch (RuntimeException e) {
            batch.forEach(s -> s.release().run());
            throw e;
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            take(batch, sink);
        } catch (RuntimeException | Error e) {
            failure = e;
            close();
            batch.forEach(s -> s.release().run());
            throw e;
        }
    }

    /** Releases every snapshot still held. Idempotent. */
    @Override
    public void close() {
        while (!held.isEmpty()) {
            held.removeFirst().release().run();
        }
    }

    private void check(List<Snapshot> batch) {
        if (batch.size() > batchSize) {
            throw new IllegalArgumentException("a batch holds at most " + batchSize + " snapshots, found " + batch.size());
        }
        long last = held.isEmpty() ? Long.MIN_VALUE : held.getLast().step();
        for (Snapshot s : batch) {
            if (s.step() <= last) {
                throw new IllegalArgumentException("snapshot steps must increase: step " + s.step() + " came after step "
                        + last + ". Add snapshots in step order");
            }
            last = s.step();
            if (!Double.isNaN(s.rate()) && !(s.rate() > 0 && Double.isFinite(s.rate()))) {
                throw new IllegalArgumentException("the learning rate at step " + s.step() + " must be > 0 and finite,"
                        + " or NaN when unknown; found " + s.rate());
            }
            if (s.pieces().size() != layout.pieces()) {
                throw new IllegalArgumentException("the snapshot at step " + s.step() + " comes in " + s.pieces().size()
                        + " pieces, the layout has " + layout.pieces());
            }
            for (int t = 0; t < layout.pieces(); t++) {
                long holds = switch (s.pieces().get(t)) {
                    case Piece.InFile f -> (size(f) - f.offset()) / 4;
                    case Piece.InArray a -> a.values().length - (long) a.offset();
                };
                if (holds < layout.length(t)) {
                    throw new IllegalArgumentException("piece " + t + " of the snapshot at step " + s.step() + " holds "
                            + holds + " floats, the layout says " + layout.length(t));
                }
            }
        }
    }

    private void take(List<Snapshot> batch, Consumer<? super WindowSpectrum> sink) {
        int k = batch.size();
        long before = snapshots;
        long firstUpdate = table.count();
        List<Snapshot> chain = new ArrayList<>(held);
        chain.addAll(batch);
        int stored = held.size();
        int start = before == 0 ? 1 : 0; // the series' first snapshot makes no update
        NumericException stop = null;
        int taken = 0;
        if (k > start) {
            int first = Math.max(0, stored - 1);
            BatchGramKernel.products(new PieceChain(chain.stream().map(Snapshot::pieces).toList(), layout), first,
                    reach, products, options.threads());
            for (int j = 0; j < k - start; j++) {
                int previous = table.previous();
                if (!finite(products[j], previous + 1)) {
                    stop = unusable(chain, first + j, before - stored);
                    break;
                }
                Snapshot newer = chain.get(first + j + 1);
                table.append(newer.step(), newer.rate(), products[j], 0, previous);
                taken++;
            }
        }
        for (int j = 0; j < taken; j++) {
            long index = firstUpdate + j;
            if (emitter.due(index)) {
                sink.accept(emitter.emit(table, index));
            }
        }
        if (stop != null) {
            throw stop;
        }
        for (Snapshot s : batch) {
            held.addLast(s);
        }
        snapshots += k;
        while (held.size() > reach + 1) {
            held.removeFirst().release().run();
        }
    }

    /**
     * Why the update from chain entry c to c + 1 has a non-finite product: the series' first snapshot (if c
     * is it) or the newer one holds NaN or ±∞, or else their difference overflows.
     *
     * @param firstIndex the series index of chain entry 0
     */
    private NumericException unusable(List<Snapshot> chain, int c, long firstIndex) {
        Snapshot older = chain.get(c);
        Snapshot newer = chain.get(c + 1);
        if (firstIndex + c == 0) {
            NumericException bad = nonFinite("snapshot", older, null);
            if (bad != null) {
                return bad;
            }
        }
        NumericException bad = nonFinite("snapshot", newer, null);
        if (bad != null) {
            return bad;
        }
        bad = nonFinite("update", newer, older);
        return bad != null ? bad : SnapshotBatch.located(newer.origin(), NonFiniteUpdate.overflow("update", newer.step()));
    }

    /**
     * The exception for the first NaN or ±∞ of θ (or of θ − older, if given), located; null if there is none.
     * Reads the snapshots again, a stage at a time, as the pass did.
     */
    private NumericException nonFinite(String what, Snapshot snapshot, Snapshot older) {
        List<List<Piece>> pair = older == null ? List.of(snapshot.pieces(), snapshot.pieces())
                : List.of(older.pieces(), snapshot.pieces());
        PieceChain.Reader reader = new PieceChain(pair, layout).differences();
        float[] values = new float[BatchGramKernel.SUB];
        int p = layout.dimension();
        for (int start = 0; start < p; start += GramKernel.SEGMENT) {
            int end = Math.min(p, start + GramKernel.SEGMENT);
            reader.segment(start, end);
            for (int b = start; b < end; b += BatchGramKernel.SUB) {
                int length = Math.min(end, b + BatchGramKernel.SUB) - b;
                if (older == null) {
                    reader.values(1, b, length, values);
                } else {
                    reader.block(b, length, values);
                }
                for (int i = 0; i < length; i++) {
                    if (!Float.isFinite(values[i])) {
                        return SnapshotBatch.located(snapshot.origin(),
                                NonFiniteUpdate.at(what, snapshot.step(), b + i, values[i], p));
                    }
                }
            }
        }
        return null;
    }

    private static long size(Piece.InFile piece) {
        try {
            return piece.channel().size();
        } catch (IOException e) {
            throw new DataFormatException(piece.file() + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    private static boolean finite(double[] values, int count) {
        for (int q = 0; q < count; q++) {
            if (!Double.isFinite(values[q])) {
                return false;
            }
        }
        return true;
    }
}
