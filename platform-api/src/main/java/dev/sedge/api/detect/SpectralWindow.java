package dev.sedge.api.detect;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The spectrum of one rolling window, as a detector sees it: the singular values
 * σ_1 ≥ … ≥ σ_W of the window's W × p update matrix X, and the latest metrics at or before the
 * window's step. Eigenvalues of G = X Xᵀ are λ_j = σ_j². Immutable; arrays copied in and out.
 */
public final class SpectralWindow {

    /**
     * The metric under which hosts pass p, the length of each update (the sketch dimension when
     * the spectrum was sketched): detectors such as BBP need it.
     */
    public static final String DIMENSION_METRIC = "dimension";

    /**
     * The host metric (see {@link EdgeDetector#hostMetrics}) with grad% on v_1: the share of the window's motion
     * along its first edge direction that the gradient made rather than weight decay, in [0, 1]
     * (docs/science.md, "The gradient / weight-decay split"); NaN when neither part moves along v_1.
     */
    public static final String EDGE_GRADIENT_SHARE = "edge_grad_share";

    /**
     * The host metric with the rotation of v_1: the sign-free angle between this window's v_1 and the previous
     * window's, in degrees ({@code rotation_deg_1} of {@code spectrum.csv}).
     */
    public static final String EDGE_ROTATION = "edge_rotation_deg";

    private final long step;
    private final double[] sigma;
    private final Map<String, Double> metrics;

    /**
     * @param step    the window's last snapshot step
     * @param sigma   singular values, non-increasing, finite, &ge; 0; not modified
     * @param metrics latest metrics ({@code test_acc}, {@code train_loss} …); copied
     */
    public SpectralWindow(long step, double[] sigma, Map<String, Double> metrics) {
        if (sigma.length < 2) {
            throw new IllegalArgumentException("a window has at least 2 singular values, found " + sigma.length);
        }
        for (int j = 0; j < sigma.length; j++) {
            if (!(sigma[j] >= 0) || Double.isInfinite(sigma[j]) || (j > 0 && sigma[j] > sigma[j - 1])) {
                throw new IllegalArgumentException("singular values must be finite, >= 0 and non-increasing; "
                        + "found sigma_" + (j + 1) + " = " + sigma[j] + " at step " + step);
            }
        }
        this.step = step;
        this.sigma = sigma.clone();
        this.metrics = Map.copyOf(metrics);
    }

    public long step() {
        return step;
    }

    /** The window width W. */
    public int width() {
        return sigma.length;
    }

    /** σ_j, 1-based as in the papers: {@code sigma(1)} is the largest. */
    public double sigma(int j) {
        return sigma[j - 1];
    }

    /** λ_j = σ_j², 1-based. */
    public double lambda(int j) {
        return sigma[j - 1] * sigma[j - 1];
    }

    /** All singular values, largest first. A new array. */
    public double[] singularValues() {
        return sigma.clone();
    }

    /** λ_1 ≥ … ≥ λ_W, λ_j = σ_j². A new array. */
    public double[] eigenvalues() {
        double[] lambda = new double[sigma.length];
        for (int j = 0; j < sigma.length; j++) {
            lambda[j] = sigma[j] * sigma[j];
        }
        return lambda;
    }

    /** The gap ratios R_j = σ_j/σ_{j+1}, j = 1..W−1, as {@link EdgeStatistics#ratios} defines them. A new array. */
    public double[] ratios() {
        return EdgeStatistics.ratios(sigma);
    }

    /**
     * The edge position k* (1-based), as {@code spectrum.csv} has it: {@link EdgeStatistics#kstar}, or
     * {@link EdgeStatistics#kstarWeighted} when {@code weighted}.
     */
    public int kstar(boolean weighted) {
        double[] ratios = ratios();
        return weighted ? EdgeStatistics.kstarWeighted(sigma, ratios) : EdgeStatistics.kstar(ratios);
    }

    /** g23 = λ_2 − λ_3 ({@link EdgeStatistics#g23}); NaN when W &lt; 3. */
    public double g23() {
        return EdgeStatistics.g23(eigenvalues());
    }

    /**
     * The BBP threshold d_crit in σ units ({@link EdgeStatistics#bbpThreshold}).
     *
     * @param dimension p, the length of each update (the sketch dimension when sketched)
     */
    public double bbpThreshold(long dimension) {
        return EdgeStatistics.bbpThreshold(eigenvalues(), dimension);
    }

    /** A metric recorded at or before this step, if any. */
    public OptionalDouble metric(String name) {
        Double v = metrics.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public Map<String, Double> metrics() {
        return metrics;
    }
}
