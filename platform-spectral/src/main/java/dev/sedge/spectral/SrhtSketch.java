package dev.sedge.spectral;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A subsampled randomized Hadamard transform (SRHT), y = (1/√d)·S·H·D·x: the fast sketch
 * (docs/science.md, "The rolling-window Gram matrix"). x is zero-padded to p' = the next power of
 * two ≥ max(p, d); D is a diagonal of random signs; H is the unnormalised p' × p' Walsh–Hadamard
 * matrix (entries (−1)^popcount(r∧j)); S keeps d distinct rows r_0 &lt; … &lt; r_{d−1} of the p',
 * drawn uniformly without replacement. H·D is an orthogonal map times √p' that spreads every x
 * evenly over the p' coordinates, so sampling d of them gives E‖y‖² = ‖x‖² and the same
 * Johnson–Lindenstrauss guarantees as {@link JlSketch}'s Gaussian Φ, up to log factors (Tropp 2011,
 * "Improved analysis of the subsampled randomized Hadamard transform"); measured errors are in
 * docs/benchmarks.md and {@code SrhtSketchTests}. The signs and rows are pure functions of the
 * seed (SplitMix64 hashes, like {@link JlSketch}), so nothing of size p is stored between calls.
 *
 * <p>Algorithm: write p' = M·B with B = {@link #BLOCK} (or p' itself if smaller), j = hi·B + lo.
 * H_{p'} is the Kronecker product H_M ⊗ H_B, so output r = rh·B + rl is
 * Σ_hi (−1)^popcount(rh∧hi) (H_B·D·x_hi)[rl]. Each B-block of x is signed and transformed by a
 * full length-B fast Walsh–Hadamard transform in an L1-resident scratch block (Vector API: the
 * first log₂(lanes) stages inside registers by lane shuffles, the rest two stages per pass); the
 * high log₂ M stages are pruned to their d needed outputs: each block adds ± its d sampled entries
 * to d running sums, d·M additions instead of p'·log₂ M. Blocks wholly in the zero padding are
 * skipped. Cost: about p·log₂ B float additions and one read of x per update, whatever d. Memory:
 * one B-float scratch block per thread and d doubles per {@link GramKernel#SEGMENT} of x (10 MB per
 * 10⁸ parameters at d = 200), not p'.
 *
 * <p>Numerics and threads: the blocks' transforms are float (each output element of a block is
 * the same sequence of float additions and subtractions as the textbook radix-2 transform, whatever
 * the vector width); the ± sums over blocks are double, per segment of blocks in block order, the
 * segments added in order and rounded to float at the end. So the result is bit-identical for any
 * thread count, and across machines. Relative error against exact arithmetic: about log₂ B float
 * roundings of the block transform, below 1e−6 of ‖x‖. Immutable and thread-safe.
 */
public final class SrhtSketch implements Sketch {

    /** Floats per transformed block: 16 KB, so the block's log₂ B passes stay in L1. A divisor of {@link GramKernel#SEGMENT}. */
    static final int BLOCK = 1 << 12;

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final long SIGN_DOMAIN = 0x5352_4854_5369_676EL;
    private static final long ROW_DOMAIN = 0x5352_4854_526F_7773L;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INT_SPECIES = SPECIES.withLanes(int.class);
    private static final int LANES = SPECIES.length();
    /** Lane l's shift that moves bit l of a sign word to the float sign bit. */
    private static final IntVector SIGN_SHIFT = IntVector.fromArray(INT_SPECIES, signShifts(), 0);
    /** Per in-register stage s: lane l ↔ lane l ^ 2^s, and the lanes that take the difference. */
    private static final VectorShuffle<Float>[] PARTNER = partners();
    private static final VectorMask<Float>[] UPPER = uppers();

    private final int dimension;
    private final long seed;
    private final long signKey;
    private final long rowKey;
    private volatile Plan plan;

    /**
     * @param dimension d, ≥ 1
     * @param seed      any value; the signs and the rows are a function of it
     */
    public SrhtSketch(int dimension, long seed) {
        if (dimension < 1) {
            throw new IllegalArgumentException("sketch dimension d must be >= 1, found " + dimension);
        }
        this.dimension = dimension;
        this.seed = seed;
        this.signKey = mix(seed ^ SIGN_DOMAIN);
        this.rowKey = mix(seed ^ ROW_DOMAIN);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long seed() {
        return seed;
    }

    /** {@link SketchTransform#SRHT}. */
    @Override
    public SketchTransform transform() {
        return SketchTransform.SRHT;
    }

    /** p', the transform length for inputs of length p: the next power of two ≥ max(p, d). */
    public long paddedLength(int p) {
        if (p < 1) {
            throw new IllegalArgumentException("the input length p must be >= 1, found " + p);
        }
        long n = Math.max(p, dimension);
        return n == 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** D_jj, +1 or −1: bit j mod 64 of a SplitMix64 hash of (seed, ⌊j/64⌋). */
    public float sign(long j) {
        return ((signWord(j >>> 6) >>> (j & 63)) & 1) == 0 ? 1f : -1f;
    }

    /** The d rows S keeps for inputs of length p, ascending: output i is row rows(p)[i] of H·D·x. */
    public long[] rows(int p) {
        return plan(p).rows.clone();
    }

    @Override
    public float[] apply(float[] x, int threads) {
        int p = x.length;
        Plan pl = plan(p);
        int blocks = (int) ((p + (long) pl.block - 1) / pl.block); // the rest are all padding
        int perSegment = Math.max(1, GramKernel.SEGMENT / pl.block);
        int segments = (blocks + perSegment - 1) / perSegment;
        double[][] partial = new double[segments][dimension];
        ParallelSegments.run(segments, threads, (first, last) -> {
            float[] scratch = new float[pl.block];
            for (int s = first; s < last; s++) {
                int end = Math.min(blocks, (s + 1) * perSegment);
                for (int hi = s * perSegment; hi < end; hi++) {
                    load(x, (long) hi * pl.block, scratch);
                    transform(scratch);
                    gather(pl, hi, scratch, partial[s]);
                }
            }
        });
        double scale = 1 / Math.sqrt(dimension);
        float[] y = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            double sum = 0;
            for (int s = 0; s < segments; s++) {
                sum += partial[s][i];
            }
            y[i] = (float) (sum * scale);
        }
        return y;
    }

    /** out[i] += (−1)^popcount(rh_i ∧ hi) · block[rl_i]: block hi's share of every output. */
    private void gather(Plan pl, int hi, float[] block, double[] out) {
        for (int i = 0; i < dimension; i++) {
            double v = block[pl.low[i]];
            out[i] += (Integer.bitCount(pl.high[i] & hi) & 1) == 0 ? v : -v;
        }
    }

    /**
     * block = D·x over [base, base + block.length), zero past x's end, taken through the transform's
     * first log₂(lanes) stages on the way (none for a block shorter than a vector: {@link #transform}
     * does them all).
     */
    private void load(float[] x, long base, float[] block) {
        int n = block.length;
        int p = x.length;
        if (n < LANES) {
            for (int t = 0; t < n; t++) {
                long j = base + t;
                block[t] = j < p ? signed(x[(int) j], signWord(j >>> 6), j) : 0f;
            }
            return;
        }
        long word = 0;
        for (int t = 0; t < n; t += LANES) {
            long j = base + t; // a multiple of LANES, which divides 64
            if ((j & 63) == 0 || t == 0) {
                word = signWord(j >>> 6);
            }
            FloatVector v;
            if (j + LANES <= p) {
                IntVector mask = IntVector.broadcast(INT_SPECIES, (int) (word >>> (j & 63)))
                        .lanewise(VectorOperators.LSHL, SIGN_SHIFT).and(Integer.MIN_VALUE);
                v = FloatVector.fromArray(SPECIES, x, (int) j).reinterpretAsInts().lanewise(VectorOperators.XOR, mask)
                        .reinterpretAsFloats();
            } else {
                for (int l = 0; l < LANES; l++) {
                    long jl = j + l;
                    block[t + l] = jl < p ? signed(x[(int) jl], word, jl) : 0f;
                }
                v = FloatVector.fromArray(SPECIES, block, t);
            }
            inRegisterStages(v).intoArray(block, t);
        }
    }

    /**
     * The first log₂(lanes) stages on one vector: at stage s, lane l and lane l ^ 2^s are a butterfly
     * pair (u, v) → (u + v, u − v); the lower lane keeps the sum, the upper the difference.
     */
    private static FloatVector inRegisterStages(FloatVector v) {
        for (int s = 0; s < PARTNER.length; s++) {
            FloatVector partner = v.rearrange(PARTNER[s]);
            v = v.add(partner).blend(partner.sub(v), UPPER[s]);
        }
        return v;
    }

    /**
     * The rest of the in-place unnormalised Walsh–Hadamard transform of a block that {@link #load} has
     * taken through its first log₂(lanes) stages (all of it, in scalar code, for a block shorter than a
     * vector).
     */
    private static void transform(float[] a) {
        int n = a.length;
        if (n < LANES) {
            for (int h = 1; h < n; h <<= 1) {
                for (int i = 0; i < n; i += 2 * h) {
                    for (int k = i; k < i + h; k++) {
                        float u = a[k];
                        float v = a[k + h];
                        a[k] = u + v;
                        a[k + h] = u - v;
                    }
                }
            }
            return;
        }
        int h = LANES;
        for (; 4 * h <= n; h *= 4) { // stages h and 2h in one pass
            for (int g = 0; g < n; g += 4 * h) {
                for (int k = g; k < g + h; k += LANES) {
                    FloatVector a0 = FloatVector.fromArray(SPECIES, a, k);
                    FloatVector a1 = FloatVector.fromArray(SPECIES, a, k + h);
                    FloatVector a2 = FloatVector.fromArray(SPECIES, a, k + 2 * h);
                    FloatVector a3 = FloatVector.fromArray(SPECIES, a, k + 3 * h);
                    FloatVector b0 = a0.add(a1);
                    FloatVector b1 = a0.sub(a1);
                    FloatVector b2 = a2.add(a3);
                    FloatVector b3 = a2.sub(a3);
                    b0.add(b2).intoArray(a, k);
                    b1.add(b3).intoArray(a, k + h);
                    b0.sub(b2).intoArray(a, k + 2 * h);
                    b1.sub(b3).intoArray(a, k + 3 * h);
                }
            }
        }
        if (2 * h <= n) { // an odd number of stages: the last one alone
            for (int k = 0; k < h; k += LANES) {
                FloatVector a0 = FloatVector.fromArray(SPECIES, a, k);
                FloatVector a1 = FloatVector.fromArray(SPECIES, a, k + h);
                a0.add(a1).intoArray(a, k);
                a0.sub(a1).intoArray(a, k + h);
            }
        }
    }

    /**
     * The unnormalised Walsh–Hadamard transform of {@code a} in place, the full transform the sketch
     * applies block by block (for tests: it must equal the textbook one bit for bit).
     *
     * @param a length a power of two; modified
     */
    static void walshHadamard(float[] a) {
        int n = a.length;
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("the transform length must be a power of two, found " + n);
        }
        if (n >= LANES) {
            for (int t = 0; t < n; t += LANES) {
                inRegisterStages(FloatVector.fromArray(SPECIES, a, t)).intoArray(a, t);
            }
        }
        transform(a);
    }

    private Plan plan(int p) {
        Plan pl = plan;
        if (pl == null || pl.p != p) {
            pl = new Plan(p, paddedLength(p), sampleRows(paddedLength(p)));
            plan = pl;
        }
        return pl;
    }

    /** d distinct rows of [0, n), uniform (Floyd's algorithm over a SplitMix64 stream), ascending. */
    private long[] sampleRows(long n) {
        Set<Long> chosen = new HashSet<>();
        for (long j = n - dimension; j < n; j++) {
            long t = Long.remainderUnsigned(mix(rowKey + (j + 1) * GAMMA), j + 1);
            if (!chosen.add(t)) {
                chosen.add(j);
            }
        }
        long[] rows = chosen.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(rows);
        return rows;
    }

    private long signWord(long w) {
        return mix(signKey + (w + 1) * GAMMA);
    }

    /** x with its sign bit flipped where bit j mod 64 of {@code word} is set. */
    private static float signed(float x, long word, long j) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) ^ ((int) (word >>> (j & 63)) << 31));
    }

    /** SplitMix64's output function (Stafford's mix 13). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int[] signShifts() {
        int[] s = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            s[l] = 31 - l;
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] partners() {
        int stages = Integer.numberOfTrailingZeros(LANES);
        VectorShuffle<Float>[] shuffles = (VectorShuffle<Float>[]) new VectorShuffle<?>[stages];
        for (int s = 0; s < stages; s++) {
            int h = 1 << s;
            shuffles[s] = VectorShuffle.fromOp(SPECIES, l -> l ^ h);
        }
        return shuffles;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] uppers() {
        int stages = Integer.numberOfTrailingZeros(LANES);
        VectorMask<Float>[] masks = (VectorMask<Float>[]) new VectorMask<?>[stages];
        for (int s = 0; s < stages; s++) {
            long bits = 0;
            for (int l = 0; l < LANES; l++) {
                if ((l & (1 << s)) != 0) {
                    bits |= 1L << l;
                }
            }
            masks[s] = VectorMask.fromLong(SPECIES, bits);
        }
        return masks;
    }

    /**
     * The rows for one input length p: block length B (≤ {@link #BLOCK}), and for each sampled row
     * r_i its position in a block (low) and its block-level index (high), r_i = high·B + low.
     */
    private static final class Plan {
        final int p;
        final int block;
        final long[] rows;
        final int[] low;
        final int[] high;

        Plan(int p, long padded, long[] rows) {
            this.p = p;
            this.block = (int) Math.min(BLOCK, padded);
            this.rows = rows;
            this.low = new int[rows.length];
            this.high = new int[rows.length];
            int bits = Integer.numberOfTrailingZeros(block);
            for (int i = 0; i < rows.length; i++) {
                low[i] = (int) (rows[i] & (block - 1));
                high[i] = (int) (rows[i] >>> bits);
            }
        }
    }
}
