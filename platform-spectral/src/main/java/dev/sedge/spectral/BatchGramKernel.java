package dev.sedge.spectral;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rolling Gram's inner products for a batch of new updates in one pass over p, the updates
 * being the differences of consecutive snapshots: given a chain θ_0 … θ_m of snapshots (the stored
 * ones, then the new ones), δ_c = θ_{c+1} − θ_c, and each new δ_k is paired with itself and the
 * {@code reach} differences before it. Per {@link GramKernel#BLOCK} of p, the chain's blocks are
 * read once, differenced into an L2-sized scratch block, and every needed pair is formed from it
 * with a 2 × 4 register tile; nothing of size p is written.
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
 * made up for by the others; each segment keeps its own sums, added in segment order at the end,
 * so results depend on neither the thread count nor which worker took which segment. Stateless.
 */
final class BatchGramKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = GramKernel.BLOCK;
    private static final int SEGMENT = GramKernel.SEGMENT;

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
        int m = chain.length - 1;
        int p = chain[0].length;
        int fresh = m - first;
        int[] offset = new int[fresh + 1];
        for (int j = 0; j < fresh; j++) {
            int k = first + j;
            offset[j + 1] = offset[j] + k - Math.max(0, k - reach) + 1;
        }
        int segments = Math.max(1, (p + SEGMENT - 1) / SEGMENT);
        double[][] partial = new double[segments][offset[fresh]];
        Plan plan = new Plan(first, m, reach, offset);
        AtomicInteger claimed = new AtomicInteger();
        int workers = Math.min(segments, threads);
        ParallelSegments.run(workers, workers, (firstWorker, lastWorker) -> {
            float[] deltas = new float[m * BLOCK];
            Pass pass = new Pass(deltas, plan);
            for (int s = claimed.getAndIncrement(); s < segments; s = claimed.getAndIncrement()) {
                int start = s * SEGMENT;
                int end = (int) Math.min(p, (long) start + SEGMENT);
                for (int b = start; b < end; b += BLOCK) {
                    int length = Math.min(end, b + BLOCK) - b;
                    difference(chain, b, length, deltas);
                    pass.block(length, partial[s]);
                }
            }
        });
        for (int j = 0; j < fresh; j++) {
            for (int q = 0; q < offset[j + 1] - offset[j]; q++) {
                double sum = 0;
                for (int s = 0; s < segments; s++) {
                    sum += partial[s][offset[j] + q];
                }
                out[j][q] = sum;
            }
        }
    }

    /** δ_c[b, b + length) = θ_{c+1} − θ_c in float, into {@code deltas[c·BLOCK …]}. */
    private static void difference(float[][] chain, int b, int length, float[] deltas) {
        int bound = SPECIES.loopBound(length);
        for (int c = 0; c + 1 < chain.length; c++) {
            float[] older = chain[c];
            float[] newer = chain[c + 1];
            int at = c * BLOCK;
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
     * Which pairs are formed, and how: rows (k, k + 1) against 4 operands at a time (2 × 4 register
     * tile), a lone last row against 4 (1 × 4). A pair accumulates in one chain of dependent FMAs per
     * lane (the numerics allow no other), so a tile of 8 or 4 pairs is what keeps the FMA units busy:
     * a row's operand range is widened to a multiple of 4, the extra pairs being formed and dropped,
     * rather than finished pair by pair (1 × 1, latency-bound), which only tiny chains (fewer than 4
     * differences) use. Each formed pair has an accumulator slot (one vector of float lanes) and a
     * target in the per-segment sums, or −1 if it is not wanted.
     */
    private static final class Plan {
        static final int TWO_BY_FOUR = 0;
        static final int ONE_BY_FOUR = 1;
        static final int ONE_BY_ONE = 2;

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
            for (; k + 2 <= m; k += 2) {
                cover(chosen, k, 2, m, reach);
            }
            if (k < m) {
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
                n += kind[i] == TWO_BY_FOUR ? 8 : kind[i] == ONE_BY_FOUR ? 4 : 1;
            }
            slots = n;
            slotRow = new int[n];
            slotColumn = new int[n];
            slotTarget = new int[n];
            for (int i = 0; i < tiles; i++) {
                int rows = kind[i] == TWO_BY_FOUR ? 2 : 1;
                int columns = kind[i] == ONE_BY_ONE ? 1 : 4;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < columns; c++) {
                        int slot = slotAt[i] + r * columns + c;
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

        /** Tiles for rows k … k + rows − 1 (1 or 2) over every operand one of them wants. */
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
            for (int c = Math.max(0, hi - span + 1), end = c + span; c < end; c += 4) {
                chosen.add(new int[] {rows == 2 ? TWO_BY_FOUR : ONE_BY_FOUR, k, c});
            }
        }

        /** Whether pair (k, c) is one of k's: c among the {@code reach} differences before k, or k itself. */
        static boolean wanted(int k, int c, int reach) {
            return c >= Math.max(0, k - reach) && c <= k;
        }
    }

    /**
     * The pairs of one block, from the differenced scratch (m × {@link GramKernel#BLOCK} floats, in L2
     * for m up to about 60); one per thread. Each tile runs over the whole block with its float
     * accumulators in registers, then parks them in {@code acc} (one vector per pair) until the block's
     * sums are taken. Walking the block in L1-sized sub-blocks instead (reloading the accumulators
     * exactly) was measured slower: the loads from L2 are not the limit.
     */
    private static final class Pass {
        private final float[] d;
        private final Plan plan;
        private final float[] acc;

        Pass(float[] d, Plan plan) {
            this.d = d;
            this.plan = plan;
            this.acc = new float[plan.slots * SPECIES.length()];
        }

        /** Adds every wanted pair's block sum over [0, length) of the scratch to {@code partial}. */
        void block(int length, double[] partial) {
            int lanes = SPECIES.length();
            int bound = SPECIES.loopBound(length);
            for (int t = 0; t < plan.tiles; t++) {
                int at = plan.slotAt[t] * lanes;
                int x = plan.row[t] * BLOCK;
                int r = plan.column[t] * BLOCK;
                switch (plan.kind[t]) {
                    case Plan.TWO_BY_FOUR -> tile2x4(x, r, at, bound);
                    case Plan.ONE_BY_FOUR -> tile1x4(x, r, at, bound);
                    default -> tile1x1(x, r, at, bound);
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
                int x = plan.slotRow[slot] * BLOCK;
                int r = plan.slotColumn[slot] * BLOCK;
                for (int i = bound; i < length; i++) {
                    s += (double) d[x + i] * d[r + i];
                }
                partial[target] += s;
            }
        }

        /** Rows x, x + BLOCK against operands r … r + 3·BLOCK over [0, bound); accumulators to acc[at …]. */
        private void tile2x4(int x, int r, int at, int bound) {
            int n = SPECIES.length();
            int x1 = x + BLOCK;
            int r1 = r + BLOCK;
            int r2 = r1 + BLOCK;
            int r3 = r2 + BLOCK;
            FloatVector a00 = FloatVector.zero(SPECIES);
            FloatVector a01 = a00;
            FloatVector a02 = a00;
            FloatVector a03 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a12 = a00;
            FloatVector a13 = a00;
            int i = 0;
            for (; i + n < bound; i += 2 * n) { // unrolled twice by hand (measured faster); same order per lane
                FloatVector v0 = FloatVector.fromArray(SPECIES, d, x + i);
                FloatVector v1 = FloatVector.fromArray(SPECIES, d, x1 + i);
                FloatVector w = FloatVector.fromArray(SPECIES, d, r + i);
                a00 = v0.fma(w, a00);
                a10 = v1.fma(w, a10);
                w = FloatVector.fromArray(SPECIES, d, r1 + i);
                a01 = v0.fma(w, a01);
                a11 = v1.fma(w, a11);
                w = FloatVector.fromArray(SPECIES, d, r2 + i);
                a02 = v0.fma(w, a02);
                a12 = v1.fma(w, a12);
                w = FloatVector.fromArray(SPECIES, d, r3 + i);
                a03 = v0.fma(w, a03);
                a13 = v1.fma(w, a13);
                int j = i + n;
                v0 = FloatVector.fromArray(SPECIES, d, x + j);
                v1 = FloatVector.fromArray(SPECIES, d, x1 + j);
                w = FloatVector.fromArray(SPECIES, d, r + j);
                a00 = v0.fma(w, a00);
                a10 = v1.fma(w, a10);
                w = FloatVector.fromArray(SPECIES, d, r1 + j);
                a01 = v0.fma(w, a01);
                a11 = v1.fma(w, a11);
                w = FloatVector.fromArray(SPECIES, d, r2 + j);
                a02 = v0.fma(w, a02);
                a12 = v1.fma(w, a12);
                w = FloatVector.fromArray(SPECIES, d, r3 + j);
                a03 = v0.fma(w, a03);
                a13 = v1.fma(w, a13);
            }
            if (i < bound) {
                FloatVector v0 = FloatVector.fromArray(SPECIES, d, x + i);
                FloatVector v1 = FloatVector.fromArray(SPECIES, d, x1 + i);
                FloatVector w = FloatVector.fromArray(SPECIES, d, r + i);
                a00 = v0.fma(w, a00);
                a10 = v1.fma(w, a10);
                w = FloatVector.fromArray(SPECIES, d, r1 + i);
                a01 = v0.fma(w, a01);
                a11 = v1.fma(w, a11);
                w = FloatVector.fromArray(SPECIES, d, r2 + i);
                a02 = v0.fma(w, a02);
                a12 = v1.fma(w, a12);
                w = FloatVector.fromArray(SPECIES, d, r3 + i);
                a03 = v0.fma(w, a03);
                a13 = v1.fma(w, a13);
            }
            a00.intoArray(acc, at);
            a01.intoArray(acc, at + n);
            a02.intoArray(acc, at + 2 * n);
            a03.intoArray(acc, at + 3 * n);
            a10.intoArray(acc, at + 4 * n);
            a11.intoArray(acc, at + 5 * n);
            a12.intoArray(acc, at + 6 * n);
            a13.intoArray(acc, at + 7 * n);
        }

        /** Row x against operands r … r + 3·BLOCK over [0, bound). */
        private void tile1x4(int x, int r, int at, int bound) {
            int n = SPECIES.length();
            int r1 = r + BLOCK;
            int r2 = r1 + BLOCK;
            int r3 = r2 + BLOCK;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
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
            FloatVector a0 = FloatVector.zero(SPECIES);
            for (int i = 0; i < bound; i += SPECIES.length()) {
                a0 = FloatVector.fromArray(SPECIES, d, x + i).fma(FloatVector.fromArray(SPECIES, d, r + i), a0);
            }
            a0.intoArray(acc, at);
        }
    }
}
