package dev.sedge.spectral;

/**
 * A Johnson–Lindenstrauss sketch y = Φx, Φ ∈ R^{d×p}, for windows whose p is too large to keep W
 * updates in memory (docs/science.md, "The rolling-window Gram matrix", trajectory paper: d = 10W). Φ is never
 * stored: entry (i, j) is a pure function of (seed, i, j), regenerated block by block on every call, so memory is
 * O(d) and the same seed gives the same Φ on every machine, whatever the thread count.
 *
 * <p>Distribution: entries are i.i.d. draws from a 4096-point quantile discretisation of N(0, 1/d)
 * (the values Φ⁻¹((k + ½)/4096), rescaled to variance exactly 1/d, picked by 12 bits of a
 * SplitMix64 hash of (seed, i, j)). It has mean 0 and variance 1/d like N(0, 1/d), Kolmogorov
 * distance 1.2·10⁻⁴ from it, and is sub-Gaussian, so the JL guarantees hold; it costs a table
 * look-up per entry instead of a logarithm. Cost: d·p entries per update (O(d·p) time), against
 * O(W·p) for the exact update: the sketch saves memory, not time.
 *
 * <p>Error: σ_j(ΦX) = σ_j(X)·(1 ± ε) with ε ≈ √(W/d) in the worst case over the window's row space;
 * measured errors are in docs/benchmarks.md and {@code JlSketchTests}. {@link SrhtSketch} has the
 * same errors at a small fraction of the cost. Immutable and thread-safe.
 */
public final class JlSketch implements Sketch {

    private static final int TABLE_BITS = 12;
    private static final int TABLE_MASK = (1 << TABLE_BITS) - 1;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private final int dimension;
    private final long seed;
    private final float[] table;
    private final long[] rowKeys;

    /**
     * @param dimension d, ≥ 1
     * @param seed      any value; the projection is a function of it
     */
    public JlSketch(int dimension, long seed) {
        if (dimension < 1) {
            throw new IllegalArgumentException("sketch dimension d must be >= 1, found " + dimension);
        }
        this.dimension = dimension;
        this.seed = seed;
        this.table = gaussianTable(dimension);
        this.rowKeys = new long[dimension];
        for (int i = 0; i < dimension; i++) {
            rowKeys[i] = mix(seed ^ mix((i + 1L) * GAMMA));
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long seed() {
        return seed;
    }

    /** {@link SketchTransform#GAUSSIAN}. */
    @Override
    public SketchTransform transform() {
        return SketchTransform.GAUSSIAN;
    }

    /** Φ_ij. */
    public float entry(int i, long j) {
        long h = mix(rowKeys[i] + ((j >>> 2) + 1) * GAMMA);
        return table[(int) (h >>> (16 * (j & 3))) & TABLE_MASK];
    }

    /**
     * y = Φx, accumulated per block in float and across blocks in double, rounded to float at the end.
     *
     * @param x       length p; not modified
     * @param threads the most threads to use, ≥ 1
     * @return a new array of length d (NaN or ±∞ if x holds them: the caller checks)
     */
    @Override
    public float[] apply(float[] x, int threads) {
        int p = x.length;
        int segments = Math.max(1, (p + GramKernel.SEGMENT - 1) / GramKernel.SEGMENT);
        double[][] partial = new double[segments][dimension];
        ParallelSegments.run(segments, threads, (first, last) -> {
            for (int s = first; s < last; s++) {
                int from = s * GramKernel.SEGMENT;
                int to = (int) Math.min(p, (long) from + GramKernel.SEGMENT);
                segment(x, from, to, partial[s]);
            }
        });
        float[] y = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            double sum = 0;
            for (int s = 0; s < segments; s++) {
                sum += partial[s][i];
            }
            y[i] = (float) sum;
        }
        return y;
    }

    private void segment(float[] x, int from, int to, double[] out) {
        for (int b = from; b < to; b += GramKernel.BLOCK) {
            int e = Math.min(to, b + GramKernel.BLOCK);
            int full = b + ((e - b) & ~3); // b is a multiple of 4
            for (int i = 0; i < dimension; i++) {
                long key = rowKeys[i];
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                for (int j = b; j < full; j += 4) {
                    long h = mix(key + ((long) (j >>> 2) + 1) * GAMMA);
                    s0 = Math.fma(table[(int) h & TABLE_MASK], x[j], s0);
                    s1 = Math.fma(table[(int) (h >>> 16) & TABLE_MASK], x[j + 1], s1);
                    s2 = Math.fma(table[(int) (h >>> 32) & TABLE_MASK], x[j + 2], s2);
                    s3 = Math.fma(table[(int) (h >>> 48) & TABLE_MASK], x[j + 3], s3);
                }
                for (int j = full; j < e; j++) {
                    s0 = Math.fma(entry(i, j), x[j], s0);
                }
                out[i] += (s0 + s1) + (s2 + s3);
            }
        }
    }

    /** SplitMix64's output function (Stafford's mix 13). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The 4096 mid-point quantiles of N(0, 1), rescaled to second moment 1/d. */
    private static float[] gaussianTable(int dimension) {
        int n = 1 << TABLE_BITS;
        double[] q = new double[n];
        double m2 = 0;
        for (int k = 0; k < n; k++) {
            q[k] = NormalQuantile.of((k + 0.5) / n);
            m2 += q[k] * q[k];
        }
        double scale = 1.0 / Math.sqrt(m2 / n) / Math.sqrt(dimension);
        float[] t = new float[n];
        for (int k = 0; k < n; k++) {
            t[k] = (float) (q[k] * scale);
        }
        return t;
    }
}
