package dev.sedge.spectral;

import dev.sedge.api.DataFormatException;
import dev.sedge.spectral.StreamingSpectralEngine.Piece;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Snapshots given as pieces (one per tensor of the group) that lie in files or arrays, read by a
 * {@link BatchGramKernel} pass: θ is the concatenation of its pieces, and every snapshot's pieces have
 * the same lengths. Each worker stages a part of a segment of every snapshot (positional reads from the
 * files, copies from arrays), then differences it exactly as arrays are, so the products are the same bits.
 */
final class PieceChain implements BatchGramKernel.Chain {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /**
     * The most bytes a worker stages at a time, all snapshots together: 1.5 MB, so that 21 snapshots are read
     * a whole segment (64 KB) at a time. Measured on p = 1.24 × 10⁸, W = 20 (docs/scale.md): 8.9 GB/s, against
     * 8.3 with 768 KB (32 KB reads) and 6.5 with 6 MB (staging spills out of the caches).
     */
    private static final int STAGING_BYTES = 3 << 19;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** {@code column[t][c]}: piece t of snapshot c. */
    private final Piece[][] column;
    private final long[] starts;
    private final int dimension;

    /**
     * @param snapshots oldest first, at least 2; each one's pieces, in order
     * @param layout    the element count of each piece, the same for every snapshot
     */
    PieceChain(List<List<Piece>> snapshots, PieceLayout layout) {
        this.column = new Piece[layout.pieces()][snapshots.size()];
        for (int t = 0; t < layout.pieces(); t++) {
            for (int c = 0; c < snapshots.size(); c++) {
                column[t][c] = snapshots.get(c).get(t);
            }
        }
        this.starts = layout.starts();
        this.dimension = layout.dimension();
    }

    @Override
    public int size() {
        return column[0].length;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * A reader that stages each snapshot's part of a segment in one read per piece (runs of tens of KB of
     * every file, as the page cache serves them fastest), then differences each sub-block from there with
     * {@link BatchGramKernel#difference}.
     */
    @Override
    public Reader differences() {
        return new Reader();
    }

    /**
     * One worker's staging: (m + 1) rows of {@code stage} floats in native memory, each snapshot's part of the
     * segment the blocks now read, read straight into place from the files; stage is a multiple of
     * {@link GramKernel#BLOCK} up to a {@link GramKernel#SEGMENT}.
     */
    final class Reader implements Differences {
        private final int rows = column[0].length;
        private final int stage = Math.clamp(STAGING_BYTES / 4 / rows / GramKernel.BLOCK * GramKernel.BLOCK,
                GramKernel.BLOCK, GramKernel.SEGMENT);
        private final MemorySegment staged = Arena.ofAuto().allocate(4L * rows * stage, 64);
        private final ByteBuffer[] row = new ByteBuffer[rows];
        private int end;
        private int stagedFrom;
        private int stagedTo;

        Reader() {
            for (int c = 0; c < rows; c++) {
                row[c] = staged.asSlice(4L * c * stage, 4L * stage).asByteBuffer();
            }
        }

        @Override
        public void segment(int start, int end) {
            this.end = end;
            stagedFrom = stagedTo = start;
        }

        /** As {@link BatchGramKernel#difference}, from the staged rows: the same float subtractions. */
        @Override
        public void block(int b, int length, float[] deltas) {
            ensure(b, length);
            int bound = SPECIES.loopBound(length);
            long rowBytes = 4L * stage;
            long older = 4L * (b - stagedFrom);
            for (int c = 0; c + 1 < rows; c++, older += rowBytes) {
                long newer = older + rowBytes;
                int at = c * BatchGramKernel.SUB;
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector.fromMemorySegment(SPECIES, staged, newer + 4L * i, ByteOrder.LITTLE_ENDIAN)
                            .sub(FloatVector.fromMemorySegment(SPECIES, staged, older + 4L * i, ByteOrder.LITTLE_ENDIAN))
                            .intoArray(deltas, at + i);
                }
                for (; i < length; i++) {
                    deltas[at + i] = staged.get(F32, newer + 4L * i) - staged.get(F32, older + 4L * i);
                }
            }
        }

        /** Snapshot c's values [b, b + length) into {@code out}; the range lies in the segment last announced. */
        void values(int c, int b, int length, float[] out) {
            ensure(b, length);
            MemorySegment.copy(staged, F32, 4L * ((long) c * stage + b - stagedFrom), out, 0, length);
        }

        private void ensure(int b, int length) {
            if (b + length > stagedTo) {
                stage(b, Math.min(end, b + stage));
            }
        }

        private void stage(int start, int stop) {
            for (int t = piece(start), from = start; from < stop; t++) {
                int to = (int) Math.min(stop, starts[t + 1]);
                long within = from - starts[t];
                Piece[] snapshots = column[t];
                for (int c = 0; c < rows; c++) {
                    switch (snapshots[c]) {
                        case Piece.InFile f -> read(f, within, to - from, c, from - start);
                        case Piece.InArray a -> MemorySegment.copy(a.values(), a.offset() + (int) within, staged, F32,
                                4L * ((long) c * stage + from - start), to - from);
                    }
                }
                from = to;
            }
            stagedFrom = start;
            stagedTo = stop;
        }

        /** Values [within, within + count) of a piece in a file, into row c from {@code at}. */
        private void read(Piece.InFile piece, long within, int count, int c, int at) {
            ByteBuffer into = row[c].clear().position(4 * at).limit(4 * (at + count));
            long position = piece.offset() + 4 * within;
            try {
                while (into.hasRemaining()) {
                    int n = piece.channel().read(into, position);
                    if (n < 0) {
                        throw new DataFormatException(piece.file() + ": the file ended at byte " + position + ", before"
                                + " the values its header promises; it was truncated while being read");
                    }
                    position += n;
                }
            } catch (IOException e) {
                throw new DataFormatException(piece.file() + ": cannot read the file at byte " + position + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The piece holding element {@code i}: the last t with starts[t] ≤ i. */
    private int piece(int i) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
