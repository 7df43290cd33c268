package dev.sedge.spectral;

/**
 * How a {@link SpectralEngine} forms its windows. Immutable; the compact constructor is the only
 * validator. Start from {@link #of(int)} and change one thing at a time with the {@code with…}
 * methods.
 *
 * <p>Memory: the engine keeps W + stride updates of length p (or d when sketched) as floats, i.e.
 * 4·(W + stride)·p bytes: W for the window, stride − 1 more so that the rotation against the
 * previous window can be computed from inner products, and one spare row that a failed update
 * overwrites instead of live data.
 *
 * @param window          W, updates per window; ≥ 2, ≥ 3 when centered
 * @param stride          updates between emitted windows; ≥ 1 (1 = every update after the first W−1)
 * @param centered        subtract the window mean from each update before forming the Gram
 * @param threads         the most threads a pass over p may use; ≥ 1
 * @param sketchDimension d of the Johnson–Lindenstrauss sketch, or 0 for the exact spectrum
 * @param sketchSeed      the seed of the sketch's projection; ignored when {@code sketchDimension} is 0
 * @param sketchTransform which projection ({@link SketchTransform}); ignored when {@code sketchDimension}
 *                        is 0; {@link SketchTransform#DEFAULT} unless a caller chooses
 */
public record SpectralOptions(int window, int stride, boolean centered, int threads, int sketchDimension,
                              long sketchSeed, SketchTransform sketchTransform) {

    public SpectralOptions {
        if (window < 2) {
            throw new IllegalArgumentException("window W must be >= 2, found " + window);
        }
        if (centered && window < 3) {
            throw new IllegalArgumentException("a centered window has rank W − 1, so W must be >= 3 to have a gap "
                    + "ratio; found W = " + window + ". Use W >= 3 or turn centering off");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, found " + stride);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        if (sketchDimension < 0 || (sketchDimension > 0 && sketchDimension < window)) {
            throw new IllegalArgumentException("sketch dimension must be 0 (no sketch) or >= W = " + window
                    + " (the trajectory paper uses d = 10W = " + 10L * window + "), found " + sketchDimension);
        }
        if (sketchTransform == null) {
            throw new IllegalArgumentException("the sketch transform must be given (SketchTransform.DEFAULT = "
                    + SketchTransform.DEFAULT.label() + " when in doubt), found null");
        }
    }

    /** Window W, stride 1, uncentered, all available processors, exact ({@link SketchTransform#DEFAULT} if later sketched). */
    public static SpectralOptions of(int window) {
        return new SpectralOptions(window, 1, false, Runtime.getRuntime().availableProcessors(), 0, 0L,
                SketchTransform.DEFAULT);
    }

    public SpectralOptions withStride(int newStride) {
        return new SpectralOptions(window, newStride, centered, threads, sketchDimension, sketchSeed, sketchTransform);
    }

    public SpectralOptions withCentering(boolean newCentered) {
        return new SpectralOptions(window, stride, newCentered, threads, sketchDimension, sketchSeed, sketchTransform);
    }

    public SpectralOptions withThreads(int newThreads) {
        return new SpectralOptions(window, stride, centered, newThreads, sketchDimension, sketchSeed, sketchTransform);
    }

    /** A sketch of dimension d (0 turns it off) drawn from {@code seed}, of this options' transform. */
    public SpectralOptions withSketch(int dimension, long seed) {
        return withSketch(dimension, seed, sketchTransform);
    }

    /** A sketch of dimension d (0 turns it off) drawn from {@code seed} by {@code transform}. */
    public SpectralOptions withSketch(int dimension, long seed, SketchTransform transform) {
        return new SpectralOptions(window, stride, centered, threads, dimension, seed, transform);
    }

    /** The same sketch dimension and seed, projected by {@code transform}. */
    public SpectralOptions withSketchTransform(SketchTransform transform) {
        return withSketch(sketchDimension, sketchSeed, transform);
    }

    /**
     * A sketch of the default dimension d = 10W (docs/science.md, "The rolling-window Gram matrix") drawn from
     * {@code seed}, of this options' transform.
     */
    public SpectralOptions withDefaultSketch(long seed) {
        return withSketch(10 * window, seed);
    }

    /** Whether updates are sketched. */
    public boolean sketched() {
        return sketchDimension > 0;
    }
}
