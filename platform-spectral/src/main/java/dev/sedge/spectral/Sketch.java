package dev.sedge.spectral;

/**
 * A random linear map y = Φx from R^p to R^d with E‖y‖² = ‖x‖², for windows whose p is too large to
 * keep W updates in memory (docs/science.md, "The rolling-window Gram matrix"): the engine stores
 * and forms its Gram matrix from the d-vectors instead of the p-vectors. Φ is a pure function of
 * ({@link #seed()}, p), so the same seed gives the same map on every machine, whatever the thread
 * count. Which map: {@link SketchTransform}; make one with {@link SketchTransform#sketch(int, long)}.
 * Implementations are immutable and thread-safe.
 */
public sealed interface Sketch permits JlSketch, SrhtSketch {

    /** d, the length of every sketched vector. */
    int dimension();

    /** The seed the map is drawn from. */
    long seed();

    /** Which kind of map this is. */
    SketchTransform transform();

    /**
     * y = Φx.
     *
     * @param x       length p ≥ 1; not modified
     * @param threads the most threads to use, ≥ 1; the result does not depend on it, bit for bit
     * @return a new array of length d (NaN or ±∞ if x holds them: the caller checks)
     */
    float[] apply(float[] x, int threads);
}
