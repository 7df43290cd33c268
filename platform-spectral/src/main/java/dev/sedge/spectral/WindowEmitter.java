package dev.sedge.spectral;

import dev.sedge.api.detect.EdgeStatistics;
import java.util.Arrays;

/**
 * Turns the inner products of a {@link GramTable} into the {@link WindowSpectrum} of each due
 * window (docs/science.md, "The rolling-window Gram matrix"), and remembers the latest one so that the next can be
 * compared with it (rotation, principal angle, ‖ΔG‖, adiabatic parameter). Works on W × W numbers only: the
 * updates themselves are never touched here.
 *
 * <p>Not thread-safe; owned by one engine.
 */
final class WindowEmitter {

    /** What is kept of an emitted window: enough to compare the next one with it. Arrays not shared. */
    static final class Emitted {
        final long first;
        final long last;
        final long step;
        final double[][] gram;
        final double[] sigma;
        final double[][] coefficients;

        Emitted(long first, long last, long step, double[][] gram, double[] sigma, double[][] coefficients) {
            this.first = first;
            this.last = last;
            this.step = step;
            this.gram = gram;
            this.sigma = sigma;
            this.coefficients = coefficients;
        }
    }

    private final SpectralOptions options;
    private final int dimension;
    private Emitted latest;

    /**
     * @param options   window, stride, centering; whether the rows are sketched
     * @param dimension the length of the vectors the Gram is formed from (p, or d when sketched)
     */
    WindowEmitter(SpectralOptions options, int dimension) {
        this.options = options;
        this.dimension = dimension;
    }

    /** Whether the update of index {@code i} (0-based, arrival order) completes a window. */
    boolean due(long i) {
        long n = i + 1;
        int w = options.window();
        return n >= w && (n - w) % options.stride() == 0;
    }

    /**
     * The window ending at update {@code last}; it becomes the latest. On failure there is no
     * latest window (the next one is not compared with an earlier one).
     *
     * @param table holds indices last − W − stride + 1 … last (those that exist); not modified
     * @throws dev.sedge.api.NumericException if an eigenproblem fails
     */
    WindowSpectrum emit(GramTable table, long last) {
        try {
            return compute(table, last);
        } catch (RuntimeException e) {
            latest = null;
            throw e;
        }
    }

    /**
     * Kept free of loops over the W × W numbers (they live in the small methods it calls): it runs once
     * per window, too rarely for the JIT to compile it whole, but a loop here would get it compiled on
     * stack, with everything it calls inlined: over a second of C2 time in a 400-window run.
     */
    private WindowSpectrum compute(GramTable table, long last) {
        int w = options.window();
        long first = last - w + 1;
        String where = "the window ending at step " + table.step(last);
        double[][] raw = table.block(first, first, w);
        boolean centered = options.centered();
        double[][] gram = centered ? WindowGeometry.centered(raw) : raw;
        SymmetricEigen eig = SymmetricEigen.of(gram, where);
        double[] lambda = resolved(eig.values(), centered);
        double[] sigma = WindowGeometry.sqrt(lambda);
        double[] ratios = EdgeStatistics.ratios(sigma);
        int kstar = EdgeStatistics.kstar(ratios);
        int kstarWeighted = EdgeStatistics.kstarWeighted(sigma, ratios);
        double bbp = EdgeStatistics.bbpThreshold(lambda, dimension);
        double[][] coefficients = WindowGeometry.coefficients(eig, sigma, centered);
        double[] alphaHalves = WindowGeometry.alphaHalves(raw, centered, where);

        double[] rotation = new double[w];
        double edgeAngle = Double.NaN;
        double deltaGram = Double.NaN;
        Arrays.fill(rotation, Double.NaN);
        Emitted previous = latest;
        if (previous != null) {
            double[][] cross = table.block(previous.first, first, w);
            double[][] cos = WindowGeometry.cosines(previous.coefficients, previous.sigma, cross, coefficients,
                    sigma, w);
            rotation = WindowGeometry.rotations(cos);
            edgeAngle = WindowGeometry.largestPrincipalAngle(cos, kstar);
            deltaGram = WindowGeometry.frobeniusDistance(gram, previous.gram);
        }
        double[] alphaDk = WindowGeometry.alphaDavisKahan(lambda, deltaGram);
        double rate = table.rate(last);
        double adiabatic = WindowGeometry.adiabatic(deltaGram, rate, lambda, kstar);
        latest = new Emitted(first, last, table.step(last), gram, sigma, coefficients);
        return new WindowSpectrum(table.step(last), table.step(first), dimension, centered, options.sketched(),
                sigma, lambda, ratios, kstar, kstarWeighted, EdgeStatistics.g23(lambda), bbp, rotation, edgeAngle,
                deltaGram, alphaHalves, alphaDk, adiabatic, rate);
    }

    /**
     * The window's eigenvalues with the zeros made exact: λ_j ≤ W·ε·λ_1 (ε the double-precision
     * machine epsilon) is below what the eigensolver resolves, and the last λ of a centered window is
     * zero by construction. A zero update (a repeated snapshot, a frozen group) then gives σ = 0, not
     * 1e-8 · σ_1, and no gap ratio is taken against it (docs/science.md, "The rolling-window Gram matrix").
     *
     * @param values eigenvalues, non-increasing, ≥ 0; not modified
     * @return a new array
     */
    private static double[] resolved(double[] values, boolean centered) {
        double[] lambda = values.clone();
        double floor = lambda.length * Math.ulp(1.0) * lambda[0];
        for (int j = 0; j < lambda.length; j++) {
            if (lambda[j] <= floor) {
                lambda[j] = 0;
            }
        }
        if (centered) {
            lambda[lambda.length - 1] = 0;
        }
        return lambda;
    }

    /**
     * The latest emitted window, which must end at the newest update.
     *
     * @param what  what the caller wants of it, for the message
     * @param count how many updates the engine took
     * @throws IllegalStateException if none was emitted, or updates came after it
     */
    Emitted requireLatest(String what, long count) {
        if (latest == null) {
            throw new IllegalStateException(what + " need a window: none was emitted yet (" + count
                    + " of W = " + options.window() + " updates accepted)");
        }
        if (count - 1 != latest.last) {
            throw new IllegalStateException(what + " describe the latest window (ending at step " + latest.step
                    + ") only until the next update is accepted; " + (count - 1 - latest.last)
                    + " came since. Ask right after the window is emitted");
        }
        return latest;
    }

    /** A copy of the latest window's Gram matrix (see {@link #requireLatest}). */
    double[][] gram(long count) {
        Emitted e = requireLatest("its Gram matrix", count);
        double[][] copy = new double[e.gram.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = e.gram[i].clone();
        }
        return copy;
    }
}
