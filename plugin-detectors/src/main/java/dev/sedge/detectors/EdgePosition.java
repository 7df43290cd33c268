package dev.sedge.detectors;

import java.util.Optional;

/**
 * The spectral edge of one window, σ convention: the edge position k* and its gap ratio
 * R_k* = σ_k* / σ_k*+1.
 *
 * <p>Candidates are the j = 1..W−1 with σ_{j+1} &gt; 0: a ratio against a zero singular value
 * (a centered window's structural zero σ_W, or a rank-deficient window) is excluded rather than
 * taken as +∞, unlike {@code spectrum.csv}'s {@code kstar} for uncentered rank-deficient windows.
 * Plain: k* = argmax_j R_j; weighted (the replication code's variant): k* = argmax_j
 * (σ_j / Σσ)·R_j. Ties go to the smallest j.
 *
 * @param kstar 1-based edge position
 * @param ratio R_k* ≥ 1 (dimensionless, σ convention)
 */
record EdgePosition(int kstar, double ratio) {

    /**
     * The edge of {@code sigma}, or empty when no σ_{j+1} with j ≤ W−1 is positive.
     *
     * @param sigma    singular values, non-increasing, ≥ 0; not modified
     * @param weighted whether to use the mass-weighted argmax
     */
    static Optional<EdgePosition> of(double[] sigma, boolean weighted) {
        double total = 0;
        for (double s : sigma) {
            total += s;
        }
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j + 1 < sigma.length; j++) {
            if (!(sigma[j + 1] > 0)) {
                break; // non-increasing: every later σ is 0 too
            }
            double ratio = sigma[j] / sigma[j + 1];
            double score = weighted ? sigma[j] / total * ratio : ratio;
            if (score > bestScore) {
                bestScore = score;
                best = j;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(new EdgePosition(best + 1, sigma[best] / sigma[best + 1]));
    }
}
