package dev.sedge.detectors;

import dev.sedge.api.detect.SpectralWindow;
import java.util.Optional;

/**
 * The spectral edge of one window, σ convention: the edge position k* and its gap ratio
 * R_k* = σ_k* / σ_k*+1, both as {@code spectrum.csv} has them ({@link dev.sedge.api.detect.EdgeStatistics}).
 *
 * @param kstar 1-based edge position
 * @param ratio R_k* ≥ 1 (dimensionless, σ convention)
 */
record EdgePosition(int kstar, double ratio) {

    /**
     * The edge of {@code window}, or empty when it has none: no ratio is defined (σ_2 = 0).
     *
     * @param weighted whether to use the mass-weighted argmax
     */
    static Optional<EdgePosition> of(SpectralWindow window, boolean weighted) {
        int kstar = window.kstar(weighted);
        double ratio = window.ratios()[kstar - 1];
        return Double.isNaN(ratio) ? Optional.empty() : Optional.of(new EdgePosition(kstar, ratio));
    }
}
