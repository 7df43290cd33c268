package dev.sedge.detectors;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;

/**
 * The g23 decline of the Thesis replication ("Table 7", docs/science.md, "Detectors"), λ convention:
 * g23(t) = λ_2 − λ_3 = σ_2² − σ_3² of each window (λ units).
 *
 * <ul>
 *   <li>Grokking step t_g: the step of the first window whose latest {@code metric} (by default
 *       {@code test_acc}, the metric the host recorded at or before the window's step) is
 *       ≥ {@code threshold} (default 0.95, the Thesis's). A window without the metric, or with NaN,
 *       does not count.</li>
 *   <li>Decline: max over windows with step &lt; t_g of g23, divided by g23 of the last window
 *       ending at or before t_g (the window at t_g itself, since t_g is a window step). A zero
 *       denominator gives +∞ when the numerator is positive and 1 when it is 0 too.</li>
 *   <li>Event {@code g23-decline} at t_g when decline &gt; {@code min-decline} (default 1.5).</li>
 * </ul>
 *
 * <p>Statistics: {@code grokked} (1 if t_g was reached, else 0 — then there is no event and no
 * {@code decline}), {@code grokking_step}, {@code decline} (reported whether or not it exceeds the
 * threshold; absent when t_g is the first window, for lack of earlier windows), {@code peak_g23},
 * {@code peak_step}, {@code g23_at_grokking}, {@code max_g23} (over the whole series),
 * {@code windows_without_metric}, and {@code fire_step} when it fired. Needs W ≥ 3.
 */
public final class G23DeclineDetector implements EdgeDetector {

    static final String NAME = "g23-decline";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "g23 decline (Thesis Table 7): max g23 = λ2 − λ3 before grokking over g23 at grokking, fires above 1.5",
            ConfigKey.ofDouble("threshold", 0.95,
                    "grokking step t_g = first window whose latest metric is >= this (test accuracy, 0..1)"),
            ConfigKey.ofDouble("min-decline", 1.5, "fire at t_g when the decline ratio exceeds this (dimensionless)"),
            ConfigKey.ofString("metric", "test_acc", "the metric compared with threshold (a metrics.csv column)"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(double threshold, double minDecline, String metric) {
        Config {
            if (!(minDecline > 0)) {
                throw new IllegalArgumentException("min-decline must be > 0, found " + minDecline);
            }
            if (metric.isBlank()) {
                throw new IllegalArgumentException("metric must name a metrics column such as test_acc, found blank");
            }
        }

        static Config of(PluginConfig config) {
            return new Config(config.doubleValue("threshold"), config.doubleValue("min-decline"),
                    config.stringValue("metric").strip());
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
        return new G23DeclineRun(Config.of(config));
    }
}
