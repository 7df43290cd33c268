package dev.sedge.detectors;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;

/**
 * The rise, plateau and collapse of the gap ratio at the edge, R_k*(t) = σ_k* / σ_k*+1 (σ
 * convention; k* per window, see {@link EdgePosition}), docs/science.md, "Detectors". The
 * papers name the phases but give no numeric rule; this is sedge's, and its defaults are ours.
 *
 * <p>Over the windows where R is defined, numbered i = 0, 1, … (steps are not used, so the rule is
 * the same whatever the recording interval):
 * <ul>
 *   <li>y_i = ln R_i; ȳ_i = the mean of y over the trailing {@code smooth} windows (defined from
 *       i = smooth − 1); the smoothed ratio is exp ȳ_i (a geometric mean).</li>
 *   <li>slope s_i = (ȳ_i − ȳ_{i−lag}) / lag, in ln R per window.</li>
 *   <li><b>rise</b>: from the start (or after a collapse), s_i &gt; {@code rise-slope} for
 *       {@code rise-windows} consecutive windows; fires at the last of them.</li>
 *   <li><b>plateau</b>: after a rise, |s_i| &lt; {@code plateau-slope} for {@code plateau-windows}
 *       consecutive windows; fires at the last of them.</li>
 *   <li><b>collapse</b>: after a rise (with or without a plateau), the smoothed ratio falls to
 *       L / {@code collapse-factor} or below, L being the highest smoothed ratio since the rise
 *       (the plateau level). A later rise starts a new cycle.</li>
 * </ul>
 * Events {@code rise}, {@code plateau}, {@code collapse}, one per transition, with values
 * {@code ratio} (raw R_k*), {@code smoothed_ratio}, {@code slope}, {@code kstar}, and
 * {@code onset_step} (rise, plateau) or {@code level} and {@code drop} (collapse).
 *
 * <p>Statistics: {@code peak_ratio} and {@code peak_step} (the largest raw R_k*),
 * {@code final_ratio}, {@code rise_step}, {@code plateau_step}, {@code plateau_level},
 * {@code collapse_step}, {@code collapse_drop} (each for its first occurrence),
 * {@code transitions}, {@code phase} (at the end: 0 none, 1 rising, 2 plateau, 3 collapsed),
 * {@code skipped_windows} (R undefined), {@code fire_step} (the first event).
 */
public final class GapRatioPhasesDetector implements EdgeDetector {

    static final String NAME = "gap-ratio-phases";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "rise, plateau and collapse of the edge gap ratio R_k* = σk*/σk*+1 (smoothed log ratio, slope per window)",
            ConfigKey.ofString("edge", "plain", "edge position k*: plain (argmax R_j) or weighted (argmax σ_j/Σσ·R_j)"),
            ConfigKey.ofInt("smooth", 5, "windows in the trailing mean of ln R (1: no smoothing)"),
            ConfigKey.ofInt("lag", 5, "windows between the two smoothed values of the slope"),
            ConfigKey.ofDouble("rise-slope", 0.05, "a rise needs a slope above this (ln R per window)"),
            ConfigKey.ofInt("rise-windows", 3, "consecutive windows above rise-slope that make a rise"),
            ConfigKey.ofDouble("plateau-slope", 0.01, "a plateau needs |slope| below this (ln R per window)"),
            ConfigKey.ofInt("plateau-windows", 5, "consecutive windows below plateau-slope that make a plateau"),
            ConfigKey.ofDouble("collapse-factor", 2.0,
                    "a collapse is the smoothed ratio falling by this factor from its level since the rise"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(boolean weighted, int smooth, int lag, double riseSlope, int riseWindows, double plateauSlope,
                  int plateauWindows, double collapseFactor) {
        Config {
            if (smooth < 1 || lag < 1 || riseWindows < 1 || plateauWindows < 1) {
                throw new IllegalArgumentException("smooth, lag, rise-windows and plateau-windows must be >= 1, found "
                        + smooth + ", " + lag + ", " + riseWindows + ", " + plateauWindows);
            }
            if (!(riseSlope > 0)) {
                throw new IllegalArgumentException("rise-slope must be > 0, found " + riseSlope);
            }
            if (!(plateauSlope > 0 && plateauSlope <= riseSlope)) {
                throw new IllegalArgumentException("plateau-slope must be > 0 and <= rise-slope (" + riseSlope
                        + "), found " + plateauSlope);
            }
            if (!(collapseFactor > 1)) {
                throw new IllegalArgumentException("collapse-factor must be > 1, found " + collapseFactor);
            }
        }

        static Config of(PluginConfig config) {
            String edge = config.stringValue("edge").strip();
            if (!edge.equals("plain") && !edge.equals("weighted")) {
                throw config.invalid("edge", "expected plain or weighted");
            }
            return new Config(edge.equals("weighted"), config.intValue("smooth"), config.intValue("lag"),
                    config.doubleValue("rise-slope"), config.intValue("rise-windows"),
                    config.doubleValue("plateau-slope"), config.intValue("plateau-windows"),
                    config.doubleValue("collapse-factor"));
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
        return new GapRatioPhasesRun(Config.of(config));
    }
}
