package dev.sedge.bases;

import dev.sedge.api.NumericException;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import java.util.ArrayList;
import java.util.List;

/**
 * Fourier modes over a residue q ∈ Z_M assigned to each input (docs/science.md, "Probe points and
 * functional modes"): the function is averaged within each residue class (f̄[q]), then
 * P_ω = |Σ_q f̄[q] e^{−2πiωq/M}|² for ω = 1..⌊M/2⌋ (DC excluded), normalised to sum 1. Residues no
 * input takes are left out of the sum, and so are inputs without a residue (q = −1: a pair with a
 * zero has no discrete log). Shared by the bases that differ only in how they assign q. Immutable.
 */
final class ResidueFourier implements Basis {

    private final String label;
    private final int modulus;
    private final int[] q;
    private final List<String> labels;

    /**
     * @param label   what the modes are over, for reports
     * @param modulus M ≥ 2
     * @param q       one residue in [0, M) per domain input, or −1 to leave the input out; kept, not copied
     */
    ResidueFourier(String label, int modulus, int[] q) {
        this.label = label;
        this.modulus = modulus;
        this.q = q;
        List<String> names = new ArrayList<>();
        for (int w = 1; w <= modulus / 2; w++) {
            names.add("ω=" + w);
        }
        this.labels = List.copyOf(names);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public ModeSpectrum project(double[] function) {
        double[] means = cellMeans(function, q, modulus, label);
        double[] power = new double[labels.size()];
        for (int w = 1; w <= power.length; w++) {
            double re = 0;
            double im = 0;
            for (int r = 0; r < modulus; r++) {
                if (!Double.isNaN(means[r])) {
                    double mean = means[r];
                    double angle = 2 * Math.PI * ((long) w * r % modulus) / modulus;
                    re += mean * Math.cos(angle);
                    im -= mean * Math.sin(angle);
                }
            }
            power[w - 1] = re * re + im * im;
        }
        return new ModeSpectrum(labels, power);
    }

    /**
     * The mean of {@code function} within each cell, the one place the residue bases read a function.
     *
     * @param cell  one cell in [0, cells) per domain input, or −1 to leave the input out
     * @param label the basis's, for messages
     * @return one mean per cell; NaN for a cell no input takes
     * @throws IllegalArgumentException if the function's length is not the domain's
     * @throws NumericException         if a value is NaN or infinite
     */
    static double[] cellMeans(double[] function, int[] cell, int cells, String label) {
        if (function.length != cell.length) {
            throw new IllegalArgumentException("function has " + function.length + " values, the domain has "
                    + cell.length + " inputs");
        }
        double[] sum = new double[cells];
        int[] count = new int[cells];
        for (int i = 0; i < cell.length; i++) {
            double v = function[i];
            if (!Double.isFinite(v)) {
                throw new NumericException("function value " + v + " at input " + i + " is not finite; "
                        + "cannot project onto " + label);
            }
            if (cell[i] >= 0) {
                sum[cell[i]] += v;
                count[cell[i]]++;
            }
        }
        for (int c = 0; c < cells; c++) {
            sum[c] = count[c] > 0 ? sum[c] / count[c] : Double.NaN;
        }
        return sum;
    }
}
