package dev.sedge.spectral;

import dev.sedge.api.detect.EdgeStatistics;
import dev.sedge.api.detect.SpectralWindow;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The spectrum of one rolling window of W updates and how it moved since the previous emitted
 * window (docs/science.md, "The rolling-window Gram matrix"). Immutable; every array accessor returns a new copy.
 * Indices taken by the single-value accessors are 1-based, as in the papers.
 *
 * <p>Conventions, per value: <b>σ</b> = singular values of the W × p window X (centered if
 * {@link #centered()}), <b>λ</b> = σ² = eigenvalues of G = X Xᵀ. Values that compare two windows
 * are NaN for the first window of a series. Angles are in degrees.
 */
public final class WindowSpectrum {

    private final long step;
    private final long firstStep;
    private final int dimension;
    private final boolean centered;
    private final boolean sketched;
    private final double[] sigma;
    private final double[] lambda;
    private final double[] ratios;
    private final int kstar;
    private final int kstarWeighted;
    private final double g23;
    private final double bbpThreshold;
    private final double[] rotation;
    private final double edgeAngle;
    private final double deltaGram;
    private final double[] alphaHalves;
    private final double[] alphaDavisKahan;
    private final double adiabatic;
    private final double learningRate;

    /**
     * Arrays are taken, not copied (package-private: the engine and the CSV reader hand over fresh
     * arrays). See the accessors for the meaning of each argument.
     *
     * @throws IllegalArgumentException if the lengths disagree with W = sigma.length ≥ 2
     */
    WindowSpectrum(long step, long firstStep, int dimension, boolean centered, boolean sketched,
                   double[] sigma, double[] lambda, double[] ratios, int kstar, int kstarWeighted, double g23,
                   double bbpThreshold, double[] rotation, double edgeAngle, double deltaGram,
                   double[] alphaHalves, double[] alphaDavisKahan, double adiabatic, double learningRate) {
        int w = sigma.length;
        if (w < 2 || lambda.length != w || ratios.length != w - 1 || rotation.length != w
                || alphaHalves.length != w / 2 || alphaDavisKahan.length != w - 1) {
            throw new IllegalArgumentException("inconsistent window lengths: W = " + w + " singular values, "
                    + lambda.length + " eigenvalues (expected W), " + ratios.length + " ratios (expected W−1), "
                    + rotation.length + " rotations (expected W), " + alphaHalves.length + " half-window alphas "
                    + "(expected ⌊W/2⌋), " + alphaDavisKahan.length + " Davis–Kahan alphas (expected W−1)");
        }
        if (kstar < 1 || kstar >= w || kstarWeighted < 1 || kstarWeighted >= w) {
            throw new IllegalArgumentException("k* must be in 1..W−1 = 1.." + (w - 1) + ", found kstar = " + kstar
                    + ", kstar_weighted = " + kstarWeighted);
        }
        this.step = step;
        this.firstStep = firstStep;
        this.dimension = dimension;
        this.centered = centered;
        this.sketched = sketched;
        this.sigma = sigma;
        this.lambda = lambda;
        this.ratios = ratios;
        this.kstar = kstar;
        this.kstarWeighted = kstarWeighted;
        this.g23 = g23;
        this.bbpThreshold = bbpThreshold;
        this.rotation = rotation;
        this.edgeAngle = edgeAngle;
        this.deltaGram = deltaGram;
        this.alphaHalves = alphaHalves;
        this.alphaDavisKahan = alphaDavisKahan;
        this.adiabatic = adiabatic;
        this.learningRate = learningRate;
    }

    /** The step of the window's last update (its last snapshot). */
    public long step() {
        return step;
    }

    /** The step of the window's first update. */
    public long firstStep() {
        return firstStep;
    }

    /** W, the number of updates in the window. */
    public int width() {
        return sigma.length;
    }

    /** The length of the vectors the Gram was formed from: p, or the sketch dimension d if {@link #sketched()}. */
    public int dimension() {
        return dimension;
    }

    /** Whether the window mean was subtracted from each update (then σ_W = 0 by construction). */
    public boolean centered() {
        return centered;
    }

    /** Whether the updates were projected by a Johnson–Lindenstrauss sketch first (then σ is approximate). */
    public boolean sketched() {
        return sketched;
    }

    /** σ_1 ≥ … ≥ σ_W ≥ 0, singular values of X (σ convention). */
    public double[] sigma() {
        return sigma.clone();
    }

    /** σ_j, 1-based. */
    public double sigma(int j) {
        return sigma[j - 1];
    }

    /** λ_1 ≥ … ≥ λ_W ≥ 0, eigenvalues of G (λ convention, the Feature Repulsion paper's "σ_k"). */
    public double[] lambda() {
        return lambda.clone();
    }

    /** λ_j, 1-based. */
    public double lambda(int j) {
        return lambda[j - 1];
    }

    /** R_j = σ_j/σ_{j+1}, j = 1..W−1, σ convention; zeros and ties as in {@link EdgeStatistics}. */
    public double[] ratios() {
        return ratios.clone();
    }

    /** R_j, 1-based. */
    public double ratio(int j) {
        return ratios[j - 1];
    }

    /** k* = argmax_j R_j, 1-based. */
    public int kstar() {
        return kstar;
    }

    /** argmax_j (σ_j/Σσ)·R_j, 1-based. */
    public int kstarWeighted() {
        return kstarWeighted;
    }

    /** g23 = λ_2 − λ_3 (λ units); NaN if W &lt; 3. */
    public double g23() {
        return g23;
    }

    /** BBP baseline d_crit, σ units (compare with σ_j). */
    public double bbpThreshold() {
        return bbpThreshold;
    }

    /** How many σ_j exceed {@link #bbpThreshold()}. */
    public int bbpCount() {
        return EdgeStatistics.countAbove(sigma, bbpThreshold);
    }

    /** arccos |⟨v_j(t), v_j(t')⟩| in degrees against the previous window, j = 1..W; NaN where undefined. */
    public double[] rotationDegrees() {
        return rotation.clone();
    }

    /** Rotation of v_j in degrees, 1-based. */
    public double rotationDegrees(int j) {
        return rotation[j - 1];
    }

    /** The largest principal angle (degrees) between span(v_1..v_k*) here and in the previous window. */
    public double edgeAngleDegrees() {
        return edgeAngle;
    }

    /** ‖ΔG‖_F, λ units: Frobenius distance to the previous window's Gram, entries matched by position. */
    public double deltaGramNorm() {
        return deltaGram;
    }

    /** Stability α_j = |⟨v_j(first half), v_j(second half)⟩|, j = 1..⌊W/2⌋ (in [0, 1]). */
    public double[] alphaHalves() {
        return alphaHalves.clone();
    }

    /** Davis–Kahan stability max(0, 1 − ‖ΔG‖²_F/(λ_j − λ_{j+1})²) of span(v_1..v_j), j = 1..W−1. */
    public double[] alphaDavisKahan() {
        return alphaDavisKahan.clone();
    }

    /** Adiabatic parameter ‖ΔG‖_F / (η (λ_k* − λ_{k*+1})²); NaN without a learning rate. */
    public double adiabatic() {
        return adiabatic;
    }

    /** η in force at the window's last update, as supplied; NaN if none was. */
    public double learningRate() {
        return learningRate;
    }

    /**
     * This window as detectors see it: its singular values, {@code metrics}, and p under
     * {@link SpectralWindow#DIMENSION_METRIC} when known.
     *
     * @param metrics latest metrics at or before {@link #step()}; not modified
     */
    public SpectralWindow toSpectralWindow(Map<String, Double> metrics) {
        if (dimension <= 0) {
            return new SpectralWindow(step, sigma, metrics);
        }
        Map<String, Double> withDimension = new java.util.LinkedHashMap<>(metrics);
        withDimension.put(SpectralWindow.DIMENSION_METRIC, (double) dimension);
        return new SpectralWindow(step, sigma, withDimension);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpectrum w && step == w.step && firstStep == w.firstStep
                && dimension == w.dimension && centered == w.centered && sketched == w.sketched
                && kstar == w.kstar && kstarWeighted == w.kstarWeighted
                && Arrays.equals(sigma, w.sigma) && Arrays.equals(lambda, w.lambda) && Arrays.equals(ratios, w.ratios)
                && same(g23, w.g23) && same(bbpThreshold, w.bbpThreshold) && Arrays.equals(rotation, w.rotation)
                && same(edgeAngle, w.edgeAngle) && same(deltaGram, w.deltaGram)
                && Arrays.equals(alphaHalves, w.alphaHalves) && Arrays.equals(alphaDavisKahan, w.alphaDavisKahan)
                && same(adiabatic, w.adiabatic) && same(learningRate, w.learningRate);
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, dimension, Arrays.hashCode(sigma), kstar);
    }

    @Override
    public String toString() {
        return "WindowSpectrum[step=" + step + ", W=" + sigma.length + ", sigma=" + Arrays.toString(sigma)
                + ", kstar=" + kstar + ", kstarWeighted=" + kstarWeighted + ", g23=" + g23 + "]";
    }
}
