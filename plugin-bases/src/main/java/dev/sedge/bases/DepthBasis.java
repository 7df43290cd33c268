package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The depth basis of Dyck-1 (docs/science.md, "Probe points and functional modes"): how much of a function
 * over the inputs is a function of their depth. The inputs are grouped by a coordinate, {@code depth} (a
 * string's maximum depth) unless configured, the function's mean removed, and its variation split one-way
 * ANOVA's way into the part between the groups' means and the part within the groups:
 * SS_between = Σ_g n_g (f̄_g − f̄)², SS_within = Σ_i (f_i − f̄_{g(i)})², over the G groups some input has.
 * The two modes are their mean squares, {@code between} = SS_between / (G − 1) and {@code within} =
 * SS_within / (n − G), so F = between / (between + within) = F_stat / (F_stat + 1), F_stat the ANOVA F
 * statistic, when {@code between} is the larger: 1 for a function of depth alone, about 1/2 (the uniform
 * baseline of two modes) for one that ignores depth, since the two mean squares then estimate the same
 * variance. F is the larger share, so a function whose group means are more alike than chance scores too,
 * with peak {@code within}: a permutation p-value on F is a two-sided permutation test of η², and the peak
 * says which side. The shares report η² = SS_between / SS_total
 * ({@code explained}, the share of the function's variance the group means explain) and 1 − η²
 * ({@code unexplained}). Applies when the domain has the coordinate, with at least two groups and more
 * inputs than groups.
 */
public final class DepthBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Variance between and within groups of depth (one-way ANOVA; mean removed), for Dyck-1",
            ConfigKey.ofString("coordinate", "depth", "the coordinate to group by: depth (a string's maximum depth),"
                    + " depth-T (the depth after token T), pairs, or any other"));

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        String coordinate = config.stringValue("coordinate").strip();
        if (!domain.hasCoordinate(coordinate)) {
            return Optional.empty();
        }
        int m = domain.modulus(coordinate);
        int[] group = domain.values(coordinate);
        boolean[] occupied = new boolean[m];
        for (int g : group) {
            occupied[g] = true;
        }
        int groups = 0;
        for (boolean o : occupied) {
            groups += o ? 1 : 0;
        }
        if (groups < 2 || group.length <= groups) {
            return Optional.empty();
        }
        return Optional.of(new Groups("between / within groups of " + coordinate + " (" + groups + " groups)", m,
                groups, group));
    }

    /** The basis over one domain's groups. Immutable. */
    private static final class Groups implements Basis {

        private static final List<String> MODES = List.of("between", "within");

        private final String label;
        private final int modulus;
        private final int groups;
        private final int[] group;

        Groups(String label, int modulus, int groups, int[] group) {
            this.label = label;
            this.modulus = modulus;
            this.groups = groups;
            this.group = group;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public ModeSpectrum project(double[] function) {
            double[] means = ResidueFourier.cellMeans(function, group, modulus, label);
            double mean = 0;
            for (double v : function) {
                mean += v;
            }
            mean /= function.length;
            double between = 0;
            double within = 0;
            for (int i = 0; i < function.length; i++) {
                double g = means[group[i]];
                between += (g - mean) * (g - mean);
                within += (function[i] - g) * (function[i] - g);
            }
            return new ModeSpectrum(MODES, new double[] {between / (groups - 1), within / (function.length - groups)});
        }

        /** η² ({@code explained}) and 1 − η² ({@code unexplained}); both 0 for a constant function. */
        @Override
        public Map<String, Double> shares(ModeSpectrum spectrum) {
            double[] power = spectrum.power();
            double between = (groups - 1) * power[0];
            double total = between + (group.length - groups) * power[1];
            double explained = total > 0 ? between / total : 0;
            Map<String, Double> shares = new LinkedHashMap<>();
            shares.put("explained", explained);
            shares.put("unexplained", total > 0 ? 1 - explained : 0);
            return shares;
        }
    }
}
