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
        if (function.length != q.length) {
            throw new IllegalArgumentException("function has " + function.length + " values, the domain has "
                    + q.length + " inputs");
        }
        double[] sum = new double[modulus];
        int[] count = new int[modulus];
        for (int i = 0; i < q.length; i++) {
            double v = function[i];
            if (!Double.isFinite(v)) {
                throw new NumericException("function value " + v + " at input " + i + " is not finite; "
                        + "cannot project onto " + label);
            }
            if (q[i] >= 0) {
                sum[q[i]] += v;
                count[q[i]]++;
            }
        }
        double[] power = new double[labels.size()];
        for (int w = 1; w <= power.length; w++) {
            double re = 0;
            double im = 0;
            for (int r = 0; r < modulus; r++) {
                if (count[r] > 0) {
                    double mean = sum[r] / count[r];
                    double angle = 2 * Math.PI * ((long) w * r % modulus) / modulus;
                    re += mean * Math.cos(angle);
                    im -= mean * Math.sin(angle);
                }
            }
            power[w - 1] = re * re + im * im;
        }
        return new ModeSpectrum(labels, power);
    }
}
