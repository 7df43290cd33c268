package dev.sedge.api.detect;

/**
 * The quantities of one spectrum, defined once for every reader (docs/science.md, "The rolling-window
 * Gram matrix"): gap ratios, the edge position k* (plain and mass-weighted), g23 and the BBP threshold.
 * The spectral engine writes them to {@code spectrum.csv} with these methods, and detectors read them
 * through {@link SpectralWindow}, so the two never disagree. Pure functions of the singular values (σ)
 * or eigenvalues (λ = σ²), each stated per method. Indices in arguments and arrays are 0-based;
 * returned edge positions are 1-based as in the papers.
 *
 * <p>Zeros: a ratio R_j = σ_j/σ_{j+1} against σ_{j+1} = 0 is undefined (NaN) and never the edge. Such
 * a ratio measures the window's rank, not a gap: the structural zero of a centered window (whose
 * σ_W the engine sets to exactly 0), a repeated snapshot, a frozen group. Among equal maxima the
 * smallest j wins. Static methods only; thread-safe.
 */
public final class EdgeStatistics {

    private EdgeStatistics() {
    }

    /**
     * Gap ratios R_j = σ_j / σ_{j+1}, j = 1..W−1, σ convention (square them for eigenvalue ratios);
     * NaN where σ_{j+1} = 0.
     *
     * @param sigma singular values, non-increasing, ≥ 0; length W ≥ 2; not modified
     * @return a new array of length W − 1
     */
    public static double[] ratios(double[] sigma) {
        double[] r = new double[sigma.length - 1];
        for (int j = 0; j < r.length; j++) {
            r[j] = sigma[j + 1] > 0 ? sigma[j] / sigma[j + 1] : Double.NaN;
        }
        return r;
    }

    /**
     * k* = argmax_j R_j (1-based) over the defined ratios; ties go to the smallest j. When no ratio is
     * defined (σ_2 = 0: the window has rank ≤ 1) k* is 1 and its ratio is NaN: a reader that needs a
     * number says "no edge" there.
     *
     * @param ratios from {@link #ratios}; not modified
     */
    public static int kstar(double[] ratios) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < ratios.length; j++) {
            if (ratios[j] > bestValue) {
                bestValue = ratios[j];
                best = j;
            }
        }
        return best + 1;
    }

    /**
     * Mass-weighted k* = argmax_j (σ_j / Σ_i σ_i) · R_j (1-based) over the defined ratios, the
     * replication code's variant; ties go to the smallest j; 1 when no ratio is defined.
     *
     * @param sigma  singular values, length W; not modified
     * @param ratios from {@link #ratios}, length W − 1; not modified
     */
    public static int kstarWeighted(double[] sigma, double[] ratios) {
        double total = 0;
        for (double s : sigma) {
            total += s;
        }
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < ratios.length; j++) {
            double score = sigma[j] / total * ratios[j];
            if (score > bestValue) {
                bestValue = score;
                best = j;
            }
        }
        return best + 1;
    }

    /**
     * g23 = λ_2 − λ_3 = σ_2² − σ_3², eigenvalue (λ) units; NaN when W &lt; 3.
     *
     * @param lambda eigenvalues, non-increasing; not modified
     */
    public static double g23(double[] lambda) {
        return lambda.length < 3 ? Double.NaN : lambda[1] - lambda[2];
    }

    /**
     * The BBP baseline d_crit = ν (p(W − 1))^{1/4}, ν² = (mean of the bottom ⌊W/2⌋ eigenvalues) / p.
     * In σ units: compare it with σ_j (see {@link #countAbove}). In the regime p ≫ W every σ_j is
     * above it; it is reported anyway.
     *
     * @param lambda    eigenvalues, non-increasing, length W ≥ 2, all of them (a centered window's
     *                  structural zero included); not modified
     * @param dimension p, the length of the vectors the window holds (the sketch dimension d when
     *                  sketched)
     */
    public static double bbpThreshold(double[] lambda, long dimension) {
        int w = lambda.length;
        int half = w / 2;
        double sum = 0;
        for (int j = w - half; j < w; j++) {
            sum += lambda[j];
        }
        double nu2 = sum / half / dimension;
        return Math.sqrt(nu2) * Math.pow((double) dimension * (w - 1), 0.25);
    }

    /** How many σ_j exceed {@code threshold}. {@code sigma} is not modified. */
    public static int countAbove(double[] sigma, double threshold) {
        int n = 0;
        for (double s : sigma) {
            if (s > threshold) {
                n++;
            }
        }
        return n;
    }
}
