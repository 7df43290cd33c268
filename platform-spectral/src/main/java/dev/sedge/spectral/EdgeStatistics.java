package dev.sedge.spectral;

/**
 * The quantities of one spectrum, docs/science.md, "The rolling-window Gram matrix": gap ratios, the edge position
 * k* (plain and mass-weighted), g23 and the BBP threshold. Pure functions of the singular values (σ) or
 * eigenvalues (λ = σ²), each stated per method. Indices in arguments and arrays are 0-based;
 * returned edge positions are 1-based as in the papers.
 *
 * <p>Zeros and ties: R_j = σ_j/σ_{j+1} is +∞ when σ_{j+1} = 0 &lt; σ_j, and 1 when both are 0
 * (no separation). A ratio whose lower value is zero <em>by construction</em> (σ_W of a centered
 * window, whose rank is at most W − 1) is NaN and never chosen as k*. Among equal maxima the
 * smallest j wins.
 */
public final class EdgeStatistics {

    private EdgeStatistics() {
    }

    /**
     * Gap ratios R_j = σ_j / σ_{j+1}, j = 1..W−1, σ convention (square them for eigenvalue ratios).
     *
     * @param sigma  singular values, non-increasing, ≥ 0; length W ≥ 2; not modified
     * @param rank   structural rank: W uncentered, W − 1 centered; ratios with j ≥ rank are NaN
     * @return a new array of length W − 1
     */
    public static double[] ratios(double[] sigma, int rank) {
        double[] r = new double[sigma.length - 1];
        for (int j = 0; j < r.length; j++) {
            if (j + 1 >= rank) {
                r[j] = Double.NaN;
            } else if (sigma[j + 1] > 0) {
                r[j] = sigma[j] / sigma[j + 1];
            } else {
                r[j] = sigma[j] > 0 ? Double.POSITIVE_INFINITY : 1.0;
            }
        }
        return r;
    }

    /**
     * k* = argmax_j R_j (1-based); NaN ratios are skipped; ties go to the smallest j; 1 if every
     * ratio is NaN.
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
     * Mass-weighted k* = argmax_j (σ_j / Σ_i σ_i) · R_j (1-based), the replication code's variant.
     * A zero weight times an infinite ratio counts as 0. 1 when Σσ = 0 (an all-zero window).
     *
     * @param sigma  singular values, length W; not modified
     * @param ratios from {@link #ratios}, length W − 1; not modified
     */
    public static int kstarWeighted(double[] sigma, double[] ratios) {
        double total = 0;
        for (double s : sigma) {
            total += s;
        }
        if (!(total > 0)) {
            return 1;
        }
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < ratios.length; j++) {
            double weight = sigma[j] / total;
            double score = weight == 0 ? 0 : weight * ratios[j];
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
