package dev.sedge.spectral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rolling Gram's inner products for a batch of new updates in one pass over p, the updates
 * being the differences of consecutive snapshots: given a chain θ_0 … θ_m of snapshots (the stored
 * ones, then the new ones), δ_c = θ_{c+1} − θ_c, and each new δ_k is paired with itself and the
 * {@code reach} differences before it. Per {@link GramKernel#BLOCK} of p, the chain's blocks are
 * read once, {@link #SUB} elements at a time differenced into an L1-sized scratch, and every needed
 * pair is formed from it with 4 × 4 (or 1 × 4) register tiles; nothing of size p is written.
 *
 * <p>Numerics: exactly those of {@link GramKernel}, so each inner product is bit-identical to the
 * one the single-update path computes from the same two updates: the differences are the float
 * differences {@link SnapshotDifferencer} takes; within a block each pair is a float FMA
 * accumulation per lane over the same elements in the same order, its lanes added in lane order
 * in double, then the tail elements in double; block sums are added per {@link GramKernel#SEGMENT}
 * and the segment sums in segment order. Pairing and tiling change which products share a pass,
 * never the arithmetic of one product.
 *
 * <p>Threads: up to {@code threads} workers ({@link ParallelSegments}) claim segments one at a time,
 * so a worker slowed by other work on the machine (the job's reading thread, other processes) is
 * made up for by the others; each segment keeps its own sums, added in segment order into one running
 * sum per pair (a {@link #WAVE} of segments at a time, so memory stays small for any p), so results
 * depend on neither the thread count nor which worker took which segment. Where the snapshots lie is
 * a {@link Chain}'s affair: arrays, or pieces of checkpoint files ({@link PieceChain}). Stateless.
 */
final class BatchGramKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = GramKernel.BLOCK;
    private static final int SEGMENT = GramKernel.SEGMENT;
    /**
     * Segments per wave: the pass keeps one row of sums per segment of a wave and folds the wave into the
     * running sums, in segment order, before the next, so its memory does not grow with p.
     */
    static final int WAVE = 256;
    /** Floats per sub-block: a pass differences and pairs a block this many elements at a time (see {@link Pass}). */
    static final int SUB = 512;

    private BatchGramKernel() {
    }

    /**
     * For each new difference k = first … m − 1 (row j = k − first of {@code out}), with
     * lo = max(0, k − reach): {@code out[j][q] = ⟨δ_k, δ_{lo + q}⟩} for q = 0 … k − lo (the last being
     * ⟨δ_k, δ_k⟩), oldest partner first.
     *
     * @param chain   m + 1 ≥ 2 snapshots of length p, oldest first; not modified
     * @param first   index of the first new difference, 0 ≤ first &lt; m, and first ≤ reach
     * @param reach   how many earlier differences each new one is paired with, ≥ 1
     * @param out     m − first rows, row j at least min(reach, first + j) + 1 long; modified
     * @param threads the most threads to use, ≥ 1
     */
    static void products(float[][] chain, int first, int reach, double[][] out, int threads) {
        products(new ArrayChain(chain), first, reach, out, threads);
    }

    /**
     * As {@link #products(float[][], int, int, double[][], int)}, over any {@link Chain}: the same pairs
     * from the same differences, so the same bits whether the snapshots lie in arrays or in files.
     */
    static void products(Chain chain, int first, int reach, double[][] out, int threads) {
        products(chain, first, reach, out, threads, WAVE);
    }

    /** With {@code wave} segments per wave instead of {@link #WAVE}: the same bits (tests vary it). */
    static void products(Chain chain, int first, int reach, double[][] out, int threads, int wave) {
        int m = chain.size() - 1;
        int p = chain.dimension();
        int fresh = m - first;
        int[] offset = new int[fresh + 1];
        for (int j = 0; j < fresh; j++) {
            int k = first + j;
            offset[j + 1] = offset[j] + k - Math.max(0, k - reach) + 1;
        }
        int segments = Math.max(1, (p + SEGMENT - 1) / SEGMENT);
        double[][] partial = new double[Math.min(segments, wave)][offset[fresh]];
        double[] sums = new double[offset[fresh]];
        Plan plan = new Plan(first, m, reach, offset);
        Chain.Differences[] readers = new Chain.Differences[threads]; // each worker's, kept from wave to wave
        Pass[] passes = new Pass[threads];
        for (int from = 0; from < segments; from += wave) {
            int to = Math.min(segments, from + wave);
            int base = from;
            AtomicInteger claimed = new AtomicInteger(from);
            int workers = Math.min(to - from, threads);
            ParallelSegments.run(workers, workers, (worker, next) -> { // one range per worker: [worker, worker + 1)
                if (readers[worker] == null) {
                    readers[worker] = chain.differences();
                    passes[worker] = new Pass(m, plan);
                }
                Chain.Differences chainDifferences = readers[worker];
                Pass pass = passes[worker];
                for (int s = claimed.getAndIncrement(); s < to; s = claimed.getAndIncrement()) {
                    double[] own = partial[s - base];
                    Arrays.fill(own, 0);
                    int start = s * SEGMENT;
                    int end = (int) Math.min(p, (long) start + SEGMENT);
                    chainDifferences.segment(start, end);
                    for (int b = start; b < end; b += BLOCK) {
                        pass.block(chainDifferences, b, Math.min(end, b + BLOCK) - b, own);
                    }
                }
            });
            for (int s = 0; s < to - from; s++) { // segment order, wave after wave: one running sum per pair
                double[] own = partial[s];
                for (int q = 0; q < sums.length; q++) {
                    sums[q] += own[q];
                }
            }
        }
        for (int j = 0; j < fresh; j++) {
            System.arraycopy(sums, offset[j], out[j], 0, offset[j + 1] - offset[j]);
        }
    }

    /**
     * The snapshots θ_0 … θ_m a pass reads, oldest first, all of length p. A pass asks for their
     * differences a block at a time; where the values lie (arrays, files) is the chain's affair.
     */
    interface Chain {

        /** m + 1, how many snapshots. */
        int size();

        /** p. */
        int dimension();

        /** A reader of the differences for one worker thread (it may hold buffers of its own). */
        Differences differences();

        /** Differences, segment by segment and block by block within it; confined to one thread. */
        interface Differences {

            /** Announces that the blocks of segment {@code [start, end)} come next, in order (a reader may stage them). */
            default void segment(int start, int end) {
            }

            /**
             * δ_c[b, b + length) = θ_{c+1} − θ_c in float, for every c &lt; m, into {@code deltas[c·SUB …]}; length
             * ≤ {@link #SUB}, and the range lies in the segment last announced.
             */
            void block(int b, int length, float[] deltas);
        }
    }

    /** Snapshots in float arrays. */
    private record ArrayChain(float[][] chain) implements Chain {

        @Override
        public int size() {
            return chain.length;
        }

        @Override
        public int dimension() {
            return chain[0].length;
        }

        @Override
        public Differences differences() {
            return (b, length, deltas) -> difference(chain, b, length, deltas);
        }
    }

    /** δ_c[b, b + length) = θ_{c+1} − θ_c in float, into {@code deltas[c·SUB …]}, for the snapshots of {@code chain}. */
    static void difference(float[][] chain, int b, int length, float[] deltas) {
        int bound = SPECIES.loopBound(length);
        for (int c = 0; c + 1 < chain.length; c++) {
            float[] older = chain[c];
            float[] newer = chain[c + 1];
            int at = c * SUB;
            int i = 0;
            for (; i < bound; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, newer, b + i).sub(FloatVector.fromArray(SPECIES, older, b + i))
                        .intoArray(deltas, at + i);
            }
            for (; i < length; i++) {
                deltas[at + i] = newer[b + i] - older[b + i];
            }
        }
    }

    /**
     * Which pairs are formed, and how: rows k … k + 3 against 4 operands at a time (4 × 4 register
     * tile: 8 loads for 16 FMAs; its diagonal block as a triangle of 10), then each of the last rows
     * (fewer than 4) against 4 at a time (1 × 4). A pair accumulates in one chain of dependent FMAs per
     * lane (the numerics allow no other), so a tile of 16, 10 or 4 pairs is what keeps the FMA units busy:
     * a row's operand range is widened to a multiple of 4, the extra pairs being formed and dropped,
     * rather than finished pair by pair (1 × 1, latency-bound), which only tiny chains (fewer than 4
     * differences) use. Each formed pair has an accumulator slot (one vector of float lanes) and a
     * target in the per-segment sums, or −1 if it is not wanted.
     */
    private static final class Plan {
        static final int ONE_BY_FOUR = 1;
        static final int ONE_BY_ONE = 2;
        static final int FOUR_BY_FOUR = 3;
        /** Rows k … k + 3 against themselves, the 10 pairs (r, c) with c ≤ r: the diagonal block of a 4-row group. */
        static final int TRIANGLE = 4;

        final int[] kind;
        final int[] row;
        final int[] column;
        final int[] slotAt;
        final int[] slotRow;
        final int[] slotColumn;
        final int[] slotTarget;
        final int tiles;
        final int slots;

        Plan(int first, int m, int reach, int[] offset) {
            List<int[]> chosen = new ArrayList<>(); // {kind, row, column}
            int k = first;
            for (; k + 4 <= m; k += 4) {
                cover(chosen, k, 4, m, reach);
            }
            for (; k < m; k++) {
                cover(chosen, k, 1, m, reach);
            }
            tiles = chosen.size();
            kind = new int[tiles];
            row = new int[tiles];
            column = new int[tiles];
            for (int i = 0; i < tiles; i++) {
                kind[i] = chosen.get(i)[0];
                row[i] = chosen.get(i)[1];
                column[i] = chosen.get(i)[2];
            }
            slotAt = new int[tiles];
            int n = 0;
            for (int i = 0; i < tiles; i++) {
                slotAt[i] = n;
                n += kind[i] == TRIANGLE ? 10 : rows(kind[i]) * (kind[i] == ONE_BY_ONE ? 1 : 4);
            }
            slots = n;
            slotRow = new int[n];
            slotColumn = new int[n];
            slotTarget = new int[n];
            for (int i = 0; i < tiles; i++) {
                int rows = rows(kind[i]);
                int columns = kind[i] == ONE_BY_ONE ? 1 : 4;
                for (int r = 0, slot = slotAt[i]; r < rows; r++) {
                    for (int c = 0; c < (kind[i] == TRIANGLE ? r + 1 : columns); c++, slot++) {
                        int pr = row[i] + r;
                        int pc = column[i] + c;
                        slotRow[slot] = pr;
                        slotColumn[slot] = pc;
                        slotTarget[slot] = wanted(pr, pc, reach)
                                ? offset[pr - first] + pc - Math.max(0, pr - reach) : -1;
                    }
                }
            }
        }

        /** Tiles for rows k … k + rows − 1 (4 or 1) over every operand one of them wants. */
        private static void cover(List<int[]> chosen, int k, int rows, int m, int reach) {
            int lo = Math.max(0, k - reach);
            int hi = k + rows - 1;
            int span = (hi - lo + 4) / 4 * 4;
            if (span > m) {
                for (int c = lo; c <= hi; c++) {
                    for (int r = k; r < k + rows; r++) {
                        if (wanted(r, c, reach)) {
                            chosen.add(new int[] {ONE_BY_ONE, r, c});
                        }
                    }
                }
                return;
            }
            int kind = rows == 4 ? FOUR_BY_FOUR : ONE_BY_FOUR;
            for (int c = Math.max(0, hi - span + 1), end = c + span; c < end; c += 4) {
                chosen.add(new int[] {kind == FOUR_BY_FOUR && c == k ? TRIANGLE : kind, k, c});
            }
        }

        static int rows(int kind) {
            return kind == FOUR_BY_FOUR || kind == TRIANGLE ? 4 : 1;
        }

        /** Whether pair (k, c) is one of k's: c among the {@code reach} differences before k, or k itself. */
        static boolean wanted(int k, int c, int reach) {
            return c >= Math.max(0, k - reach) && c <= k;
        }
    }

    /**
     * The pairs of one block; one per thread. The block is walked in sub-blocks of {@link #SUB} floats: each
     * is differenced into the scratch (m × SUB floats, in L1 for m up to about 20) and every tile runs over
     * it with its float accumulators in registers, taken from and parked in {@code acc} (one vector per pair)
     * between sub-blocks, which keeps each accumulator's FMAs in the same order as one sweep of the block
     * would; the block's sums are taken at its end. Sub-blocks keep the tiles' loads in L1 (over a whole
     * block, m × 8 KB, they come from L2): a few per cent faster on the streamed pass of docs/scale.md.
     */
    private static final class Pass {
        private final float[] d;
        private final Plan plan;
        private final float[] acc;

        Pass(int m, Plan plan) {
            this.d = new float[m * SUB];
            this.plan = plan;
            this.acc = new float[plan.slots * SPECIES.length()];
        }

        /** Adds every wanted pair's block sum over [b, b + length) to {@code partial}. */
        void block(Chain.Differences differences, int b, int length, double[] partial) {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(length);
            Arrays.fill(acc, 0f);
            int from = 0;
            for (int to; ; from = to) {
                to = Math.min(length, from + SUB);
                differences.block(b + from, to - from, d);
                int vectors = Math.max(0, Math.min(to, bound) - from);
                for (int t = 0; t < plan.tiles; t++) {
                    int at = plan.slotAt[t] * lanes;
                    int x = plan.row[t] * SUB;
                    int r = plan.column[t] * SUB;
                    switch (plan.kind[t]) {
                        case Plan.FOUR_BY_FOUR -> tile4x4(x, r, at, vectors);
                        case Plan.TRIANGLE -> triangle(x, at, vectors);
                        case Plan.ONE_BY_FOUR -> tile1x4(x, r, at, vectors);
                        default -> tile1x1(x, r, at, vectors);
                    }
                }
                if (to == length) {
                    break;
                }
            }
            for (int slot = 0; slot < plan.slots; slot++) {
                int target = plan.slotTarget[slot];
                if (target < 0) {
                    continue;
                }
                double s = 0; // the lanes in lane order, then the tail: GramKernel's order
                for (int lane = 0; lane < lanes; lane++) {
                    s += acc[slot * lanes + lane];
                }
                int x = plan.slotRow[slot] * SUB - from; // the tail lies in the last sub-block, from `from`
                int r = plan.slotColumn[slot] * SUB - from;
                for (int i = bound; i < length; i++) {
                    s += (double) d[x + i] * d[r + i];
                }
                partial[target] += s;
            }
        }

        /**
         * Rows x … x + 3·SUB against themselves over [0, bound), the pairs (r, c ≤ r) in slot order (0,0), (1,0),
         * (1,1), (2,0) …: 4 loads for 10 FMAs; accumulators from and to acc[at …].
         */
        private void triangle(int x, int at, int bound) {
            int n = SPECIES.length();
            FloatVector a00 = FloatVector.fromArray(SPECIES, acc, at);
            FloatVector a10 = FloatVector.fromArray(SPECIES, acc, at + n);
            FloatVector a11 = FloatVector.fromArray(SPECIES, acc, at + 2 * n);
            FloatVector a20 = FloatVector.fromArray(SPECIES, acc, at + 3 * n);
            FloatVector a21 = FloatVector.fromArray(SPECIES, acc, at + 4 * n);
            FloatVector a22 = FloatVector.fromArray(SPECIES, acc, at + 5 * n);
            FloatVector a30 = FloatVector.fromArray(SPECIES, acc, at + 6 * n);
            FloatVector a31 = FloatVector.fromArray(SPECIES, acc, at + 7 * n);
            FloatVector a32 = FloatVector.fromArray(SPECIES, acc, at + 8 * n);
            FloatVector a33 = FloatVector.fromArray(SPECIES, acc, at + 9 * n);
            int x1 = x + SUB;
            int x2 = x1 + SUB;
            int x3 = x2 + SUB;
            for (int i = 0; i < bound; i += n) {
                FloatVector v0 = FloatVector.fromArray(SPECIES, d, x + i);
                FloatVector v1 = FloatVector.fromArray(SPECIES, d, x1 + i);
                FloatVector v2 = FloatVector.fromArray(SPECIES, d, x2 + i);
                FloatVector v3 = FloatVector.fromArray(SPECIES, d, x3 + i);
                a00 = v0.fma(v0, a00);
                a10 = v1.fma(v0, a10);
                a11 = v1.fma(v1, a11);
                a20 = v2.fma(v0, a20);
                a21 = v2.fma(v1, a21);
                a22 = v2.fma(v2, a22);
                a30 = v3.fma(v0, a30);
                a31 = v3.fma(v1, a31);
                a32 = v3.fma(v2, a32);
                a33 = v3.fma(v3, a33);
            }
            a00.intoArray(acc, at);
            a10.intoArray(acc, at + n);
            a11.intoArray(acc, at + 2 * n);
            a20.intoArray(acc, at + 3 * n);
            a21.intoArray(acc, at + 4 * n);
            a22.intoArray(acc, at + 5 * n);
            a30.intoArray(acc, at + 6 * n);
            a31.intoArray(acc, at + 7 * n);
            a32.intoArray(acc, at + 8 * n);
            a33.intoArray(acc, at + 9 * n);
        }

        /** Rows x … x + 3·SUB against operands r … r + 3·SUB over [0, bound); accumulators from and to acc[at …]. */
        private void tile4x4(int x, int r, int at, int bound) {
            int n = SPECIES.length();
            FloatVector a00 = FloatVector.fromArray(SPECIES, acc, at);
            FloatVector a01 = FloatVector.fromArray(SPECIES, acc, at + n);
            FloatVector a02 = FloatVector.fromArray(SPECIES, acc, at + 2 * n);
            FloatVector a03 = FloatVector.fromArray(SPECIES, acc, at + 3 * n);
            FloatVector a10 = FloatVector.fromArray(SPECIES, acc, at + 4 * n);
            FloatVector a11 = FloatVector.fromArray(SPECIES, acc, at + 5 * n);
            FloatVector a12 = FloatVector.fromArray(SPECIES, acc, at + 6 * n);
            FloatVector a13 = FloatVector.fromArray(SPECIES, acc, at + 7 * n);
            FloatVector a20 = FloatVector.fromArray(SPECIES, acc, at + 8 * n);
            FloatVector a21 = FloatVector.fromArray(SPECIES, acc, at + 9 * n);
            FloatVector a22 = FloatVector.fromArray(SPECIES, acc, at + 10 * n);
            FloatVector a23 = FloatVector.fromArray(SPECIES, acc, at + 11 * n);
            FloatVector a30 = FloatVector.fromArray(SPECIES, acc, at + 12 * n);
            FloatVector a31 = FloatVector.fromArray(SPECIES, acc, at + 13 * n);
            FloatVector a32 = FloatVector.fromArray(SPECIES, acc, at + 14 * n);
            FloatVector a33 = FloatVector.fromArray(SPECIES, acc, at + 15 * n);
            int x1 = x + SUB;
            int x2 = x1 + SUB;
            int x3 = x2 + SUB;
            int r1 = r + SUB;
            int r2 = r1 + SUB;
            int r3 = r2 + SUB;
            for (int i = 0; i < bound; i += n) {
                FloatVector v0 = FloatVector.fromArray(SPECIES, d, x + i);
                FloatVector v1 = FloatVector.fromArray(SPECIES, d, x1 + i);
                FloatVector v2 = FloatVector.fromArray(SPECIES, d, x2 + i);
                FloatVector v3 = FloatVector.fromArray(SPECIES, d, x3 + i);
                FloatVector w = FloatVector.fromArray(SPECIES, d, r + i);
                a00 = v0.fma(w, a00);
                a10 = v1.fma(w, a10);
                a20 = v2.fma(w, a20);
                a30 = v3.fma(w, a30);
                w = FloatVector.fromArray(SPECIES, d, r1 + i);
                a01 = v0.fma(w, a01);
                a11 = v1.fma(w, a11);
                a21 = v2.fma(w, a21);
                a31 = v3.fma(w, a31);
                w = FloatVector.fromArray(SPECIES, d, r2 + i);
                a02 = v0.fma(w, a02);
                a12 = v1.fma(w, a12);
                a22 = v2.fma(w, a22);
                a32 = v3.fma(w, a32);
                w = FloatVector.fromArray(SPECIES, d, r3 + i);
                a03 = v0.fma(w, a03);
                a13 = v1.fma(w, a13);
                a23 = v2.fma(w, a23);
                a33 = v3.fma(w, a33);
            }
            a00.intoArray(acc, at);
            a01.intoArray(acc, at + n);
            a02.intoArray(acc, at + 2 * n);
            a03.intoArray(acc, at + 3 * n);
            a10.intoArray(acc, at + 4 * n);
            a11.intoArray(acc, at + 5 * n);
            a12.intoArray(acc, at + 6 * n);
            a13.intoArray(acc, at + 7 * n);
            a20.intoArray(acc, at + 8 * n);
            a21.intoArray(acc, at + 9 * n);
            a22.intoArray(acc, at + 10 * n);
            a23.intoArray(acc, at + 11 * n);
            a30.intoArray(acc, at + 12 * n);
            a31.intoArray(acc, at + 13 * n);
            a32.intoArray(acc, at + 14 * n);
            a33.intoArray(acc, at + 15 * n);
        }

        /** Row x against operands r … r + 3·SUB over [0, bound). */
        private void tile1x4(int x, int r, int at, int bound) {
            int n = SPECIES.length();
            int r1 = r + SUB;
            int r2 = r1 + SUB;
            int r3 = r2 + SUB;
            FloatVector a0 = FloatVector.fromArray(SPECIES, acc, at);
            FloatVector a1 = FloatVector.fromArray(SPECIES, acc, at + n);
            FloatVector a2 = FloatVector.fromArray(SPECIES, acc, at + 2 * n);
            FloatVector a3 = FloatVector.fromArray(SPECIES, acc, at + 3 * n);
            for (int i = 0; i < bound; i += n) {
                FloatVector v0 = FloatVector.fromArray(SPECIES, d, x + i);
                a0 = v0.fma(FloatVector.fromArray(SPECIES, d, r + i), a0);
                a1 = v0.fma(FloatVector.fromArray(SPECIES, d, r1 + i), a1);
                a2 = v0.fma(FloatVector.fromArray(SPECIES, d, r2 + i), a2);
                a3 = v0.fma(FloatVector.fromArray(SPECIES, d, r3 + i), a3);
            }
            a0.intoArray(acc, at);
            a1.intoArray(acc, at + n);
            a2.intoArray(acc, at + 2 * n);
            a3.intoArray(acc, at + 3 * n);
        }

        /** Row x against operand r over [0, bound). */
        private void tile1x1(int x, int r, int at, int bound) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, acc, at);
            for (int i = 0; i < bound; i += SPECIES.length()) {
                a0 = FloatVector.fromArray(SPECIES, d, x + i).fma(FloatVector.fromArray(SPECIES, d, r + i), a0);
            }
            a0.intoArray(acc, at);
        }
    }
}
