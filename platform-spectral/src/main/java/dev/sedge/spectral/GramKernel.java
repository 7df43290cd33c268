package dev.sedge.spectral;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The O(n·p) step of the rolling Gram: the inner products of one new update with n stored
 * updates, and of the update with itself, in one pass that reads the new update once.
 *
 * <p>Numerics: the data are float; within each {@link #BLOCK} a product sum is accumulated in float
 * lanes (FMA, Vector API); at the end of the block the lanes are added to a double in lane order
 * (never {@code reduceLanes}, whose order is unspecified and differs between the JIT's intrinsic
 * and the interpreter). Blocks are grouped in fixed {@link #SEGMENT}s whose double sums are added
 * in segment order. So a result is bit-identical whatever the thread count and JIT state on one
 * machine; machines with another vector width (AVX-512, NEON) round differently, at the 1e-10
 * level. Error against an all-double sum: below 1e-7 of ‖x‖·‖r‖, measured by {@code GramKernelTests}.
 *
 * <p>Threads: the pass is split into contiguous ranges of segments run on the common fork-join
 * pool plus the calling thread. Stateless; safe to call from several threads on distinct outputs.
 */
final class GramKernel {

    /** Floats per block: float partial sums never run longer than this. A multiple of every species length. */
    static final int BLOCK = 2048;
    /**
     * Floats per segment, the unit of work and of deterministic double summation: small enough that a
     * parameter group of a few 10⁵ values splits evenly over threads (the default experiment's 290 816
     * make 18 segments).
     */
    static final int SEGMENT = 1 << 14;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private GramKernel() {
    }

    /**
     * Computes {@code out[r] = ⟨x, rows[r]⟩} for {@code r < count} and {@code out[count] = ⟨x, x⟩}, and
     * copies {@code x} into {@code target} in the same pass.
     *
     * @param x       the new update, length p; not modified
     * @param rows    stored updates, each of length p; the first {@code count} are read; not modified
     * @param count   how many rows to take, 0 ≤ count ≤ rows.length
     * @param target  where {@code x} is copied (length p, not one of the first {@code count} rows), or
     *                {@code null} for no copy; modified
     * @param out     at least {@code count + 1} long; modified
     * @param threads the most threads to use, ≥ 1
     */
    static void dotsAndCopy(float[] x, float[][] rows, int count, float[] target, double[] out, int threads) {
        int p = x.length;
        float[][] operands = new float[count + 1][];
        System.arraycopy(rows, 0, operands, 0, count);
        operands[count] = x;
        int segments = Math.max(1, (p + SEGMENT - 1) / SEGMENT);
        double[][] partial = new double[segments][count + 1];
        ParallelSegments.run(segments, threads, (first, last) -> {
            for (int s = first; s < last; s++) {
                int from = s * SEGMENT;
                int to = (int) Math.min(p, (long) from + SEGMENT);
                segment(x, operands, from, to, target, partial[s]);
            }
        });
        for (int r = 0; r <= count; r++) {
            double sum = 0;
            for (int s = 0; s < segments; s++) {
                sum += partial[s][r];
            }
            out[r] = sum;
        }
    }

    /** One segment [from, to): block by block, the new update's block stays in L1 while the rows stream past. */
    private static void segment(float[] x, float[][] operands, int from, int to, float[] target, double[] sums) {
        int n = operands.length;
        float[] scratch = new float[SPECIES.length()];
        for (int b = from; b < to; b += BLOCK) {
            int e = Math.min(to, b + BLOCK);
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                block4(x, operands[r], operands[r + 1], operands[r + 2], operands[r + 3], b, e, sums, r, scratch);
            }
            for (; r < n; r++) {
                sums[r] += block1(x, operands[r], b, e, scratch);
            }
            if (target != null) {
                System.arraycopy(x, b, target, b, e - b);
            }
        }
    }

    private static void block4(float[] x, float[] r0, float[] r1, float[] r2, float[] r3, int b, int e,
                               double[] sums, int at, float[] scratch) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = b;
        int bound = b + SPECIES.loopBound(e - b);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, i);
            a0 = xv.fma(FloatVector.fromArray(SPECIES, r0, i), a0);
            a1 = xv.fma(FloatVector.fromArray(SPECIES, r1, i), a1);
            a2 = xv.fma(FloatVector.fromArray(SPECIES, r2, i), a2);
            a3 = xv.fma(FloatVector.fromArray(SPECIES, r3, i), a3);
        }
        double s0 = lanes(a0, scratch);
        double s1 = lanes(a1, scratch);
        double s2 = lanes(a2, scratch);
        double s3 = lanes(a3, scratch);
        for (; i < e; i++) {
            double xi = x[i];
            s0 += xi * r0[i];
            s1 += xi * r1[i];
            s2 += xi * r2[i];
            s3 += xi * r3[i];
        }
        sums[at] += s0;
        sums[at + 1] += s1;
        sums[at + 2] += s2;
        sums[at + 3] += s3;
    }

    /** The lanes of {@code v} added in lane order, in double; {@code scratch} (one vector long) is overwritten. */
    static double lanes(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        double s = 0;
        for (float lane : scratch) {
            s += lane;
        }
        return s;
    }

    private static double block1(float[] x, float[] r0, int b, int e, float[] scratch) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        int i = b;
        int bound = b + SPECIES.loopBound(e - b);
        for (; i < bound; i += SPECIES.length()) {
            a0 = FloatVector.fromArray(SPECIES, x, i).fma(FloatVector.fromArray(SPECIES, r0, i), a0);
        }
        double s = lanes(a0, scratch);
        for (; i < e; i++) {
            s += (double) x[i] * r0[i];
        }
        return s;
    }
}
