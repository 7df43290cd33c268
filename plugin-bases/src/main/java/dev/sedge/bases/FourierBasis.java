package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.NumericException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fourier modes over one coordinate q ∈ Z_M of the inputs (docs/science.md, "Probe points and functional modes"):
 * the function is averaged within each residue class of q (f̄[q]), then P_ω = |Σ_q f̄[q] e^{−2πiωq/M}|² for
 * ω = 1..⌊M/2⌋ (DC excluded), normalised to sum 1. Residues no input takes are left out of the
 * sum. The uniform baseline is 1/⌊M/2⌋ ≈ 2/M.
 *
 * <p>With the default coordinate {@code y} (the task's output) this is the additive basis
 * (q = (a + b) mod p for mod-add, (a − b) mod p for mod-sub) and the raw basis for mod-mul.
 */
public final class FourierBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Fourier modes over one integer coordinate of the inputs (DC excluded)",
            ConfigKey.ofString("coordinate", "y", "the input coordinate q to group by, e.g. y (the output), a, b"));

    @Override
    public String name() {
        return "fourier";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        String coordinate = config.stringValue("coordinate");
        if (!domain.hasCoordinate(coordinate) || domain.modulus(coordinate) < 2) {
            return Optional.empty();
        }
        return Optional.of(new CoordinateFourier(coordinate, domain.modulus(coordinate), domain.values(coordinate)));
    }

    /** The basis for one coordinate of one domain. Immutable. */
    private static final class CoordinateFourier implements Basis {
        private final String coordinate;
        private final int modulus;
        private final int[] q;
        private final List<String> labels;

        CoordinateFourier(String coordinate, int modulus, int[] q) {
            this.coordinate = coordinate;
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
            return "fourier over " + coordinate + " (mod " + modulus + ")";
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
                            + "cannot project onto " + label());
                }
                sum[q[i]] += v;
                count[q[i]]++;
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
}
