package dev.sedge.detectors;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.SpectralWindow;

/**
 * The random-matrix (BBP) baseline of docs/science.md, "The rolling-window Gram matrix", σ convention: per window,
 * d_crit = ν (p(W − 1))^{1/4} with ν² = (mean of the bottom ⌊W/2⌋ eigenvalues λ_j) / p, and the
 * count of singular values σ_j &gt; d_crit — the same numbers as {@code spectrum.csv}'s
 * {@code bbp_d_crit} and {@code bbp_count}. <b>In the regime p ≫ W every eigenvalue is above it:
 * it is reported anyway</b>, and the summary says so ({@code vacuous}).
 *
 * <p>p is the length of each update (the sketch dimension d when the spectrum was sketched). The
 * host passes it as the window metric {@value #DIMENSION_METRIC} ({@code sedge detect} does); the
 * key {@code dimension} overrides it, and one of the two is required.
 *
 * <p>Events: {@code separation} at the first window with at least one σ_j above d_crit (the
 * first window itself if it already has one), then {@code count-change} whenever the count differs
 * from the previous window's. Values: {@code count}, {@code previous_count} (changes),
 * {@code d_crit}, {@code sigma_1}. Statistics: {@code final_count}, {@code final_d_crit},
 * {@code max_count}, {@code changes}, {@code separation_step}, {@code fire_step} (the first
 * event), {@code dimension} (p of the last window), {@code vacuous} (1 if in every window every
 * non-zero σ_j was above d_crit, else 0) and {@code vacuous_fraction} (the share of such windows).
 */
public final class BbpDetector implements EdgeDetector {

    static final String NAME = "bbp";

    /** The window metric the host sets to p. */
    static final String DIMENSION_METRIC = SpectralWindow.DIMENSION_METRIC;

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "BBP baseline: counts σ_j above d_crit = ν(p(W−1))^1/4 (when p ≫ W every eigenvalue is above it: "
                    + "reported anyway)",
            ConfigKey.ofLong("dimension", 0,
                    "p, the length of each update; 0 takes it from the window metric 'dimension' set by the host"));

    /**
     * The parsed configuration; the compact constructor is the only validator.
     *
     * @param dimension p, or 0 for the window metric
     */
    record Config(long dimension) {
        Config {
            if (dimension < 0) {
                throw new IllegalArgumentException("dimension must be >= 0 (0: from the window metric), found "
                        + dimension);
            }
        }

        static Config of(PluginConfig config) {
            return new Config(config.longValue("dimension"));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public DetectorRun open(PluginConfig config) {
        return new BbpRun(Config.of(config));
    }
}
