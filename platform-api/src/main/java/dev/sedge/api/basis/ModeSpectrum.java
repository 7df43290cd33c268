package dev.sedge.api.basis;

import java.util.Arrays;
import java.util.List;

/**
 * The energy of a function in each mode of a basis, normalised to sum to 1 (all zeros when the
 * function has no energy outside what the basis excludes, e.g. a constant under a Fourier basis
 * that drops DC). The raw total before normalisation is kept in {@link #energy()}: when it is
 * negligible against the function's own energy, the normalised powers are rounding noise.
 * Immutable; arrays copied in and out.
 */
public final class ModeSpectrum {

    private final List<String> labels;
    private final double[] power;
    private final double energy;

    /**
     * @param labels one per mode ({@code ω=25})
     * @param power  non-negative, one per mode; normalised here to sum 1; not modified
     */
    public ModeSpectrum(List<String> labels, double[] power) {
        this.labels = List.copyOf(labels);
        if (power.length != this.labels.size() || power.length == 0) {
            throw new IllegalArgumentException(labels.size() + " labels for " + power.length + " powers");
        }
        double total = 0;
        for (double v : power) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("mode power must be finite and >= 0, found " + v);
            }
            total += v;
        }
        this.power = power.clone();
        this.energy = total;
        if (total > 0) {
            for (int i = 0; i < this.power.length; i++) {
                this.power[i] /= total;
            }
        }
    }

    /** Number of modes. */
    public int size() {
        return power.length;
    }

    public List<String> labels() {
        return labels;
    }

    /** Normalised power per mode. A new array. */
    public double[] power() {
        return power.clone();
    }

    /** The total power before normalisation, in the basis's own units (for Fourier: Σ_ω |F(ω)|²). */
    public double energy() {
        return energy;
    }

    /** Index of the strongest mode (the first, on ties). */
    public int peak() {
        int best = 0;
        for (int i = 1; i < power.length; i++) {
            if (power[i] > power[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The concentration F = max power. */
    public double concentration() {
        return power[peak()];
    }

    /** The concentration of a function spread evenly over all modes: 1 / size. */
    public double uniformBaseline() {
        return 1.0 / power.length;
    }

    @Override
    public String toString() {
        return "ModeSpectrum[peak=" + labels.get(peak()) + ", F=" + concentration() + ", modes=" + size() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModeSpectrum m && labels.equals(m.labels) && Arrays.equals(power, m.power);
    }

    @Override
    public int hashCode() {
        return labels.hashCode() * 31 + Arrays.hashCode(power);
    }
}
