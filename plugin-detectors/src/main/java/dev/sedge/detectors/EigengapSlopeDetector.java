package dev.sedge.detectors;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;

/**
 * The lock-in detector of the Feature Repulsion paper (docs/science.md, "Detectors"): r(t) = λ_2/λ_3 (or
 * σ_2/σ_3), s(t) = [ln r(t) − ln r(t − lag)] / lag, fire once at the first t ≥ min-step with
 * s(t) > threshold. Also reports the late separation: the median r over windows with step in
 * [late-from, late-to]. Defaults are the paper's (one window per epoch, W = 20).
 */
public final class EigengapSlopeDetector implements EdgeDetector {

    static final String NAME = "eigengap-slope";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "lock-in: fires when the log eigengap ratio r = λ2/λ3 climbs faster than a threshold",
            ConfigKey.ofInt("lag", 25, "steps between the two ratios of the slope"),
            ConfigKey.ofDouble("threshold", 0.04, "fire when the slope per step exceeds this"),
            ConfigKey.ofLong("min-step", 100, "no firing before this step"),
            ConfigKey.ofDouble("clip", 1e-6, "ratios are clipped from below at this value before the log"),
            ConfigKey.ofString("convention", "eigenvalue",
                    "eigenvalue (r = λ2/λ3, the paper's) or singular (r = σ2/σ3)"),
            ConfigKey.ofLong("late-from", 200, "first step of the late-separation median"),
            ConfigKey.ofLong("late-to", 400, "last step of the late-separation median"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(int lag, double threshold, long minStep, double clip, boolean eigenvalues, long lateFrom,
                  long lateTo) {
        Config {
            if (lag < 1) {
                throw new IllegalArgumentException("lag must be >= 1, found " + lag);
            }
            if (!(clip > 0)) {
                throw new IllegalArgumentException("clip must be > 0, found " + clip);
            }
            if (lateTo < lateFrom) {
                throw new IllegalArgumentException("late-to (" + lateTo + ") must be >= late-from (" + lateFrom + ")");
            }
        }

        static Config of(PluginConfig config) {
            String convention = config.stringValue("convention");
            if (!convention.equals("eigenvalue") && !convention.equals("singular")) {
                throw config.invalid("convention", "expected eigenvalue or singular");
            }
            return new Config(config.intValue("lag"), config.doubleValue("threshold"), config.longValue("min-step"),
                    config.doubleValue("clip"), convention.equals("eigenvalue"), config.longValue("late-from"),
                    config.longValue("late-to"));
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
        return new EigengapSlopeRun(Config.of(config));
    }
}
