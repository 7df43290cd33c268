package dev.sedge.detectors;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.SpectralWindow;
import java.util.Set;

/**
 * The gap-flow classifier of the Lifecycle paper (docs/science.md, "Detectors"): which universality class a run's
 * transition belongs to, from the balance of gradient driving against weight-decay damping on the edge
 * direction v_1 and from how much v_1 still turns. It reads two host metrics per window
 * ({@link #hostMetrics}): {@code edge_grad_share}, grad% on v_1 (the share of the window's motion along v_1
 * the gradient made), and {@code edge_rotation_deg}, the angle between v_1 and the previous window's v_1.
 *
 * <ul>
 *   <li>Transition step t*: the first window whose latest {@code metric} (default {@code test_acc}) is
 *       ≥ {@code threshold} (default 0.95), as {@code g23-decline} takes its grokking step.</li>
 *   <li>The windows after: the first {@code span} windows (default 5) from t* on that have a share.
 *       {@code grad_share_before}: the mean grad% over the windows before t* (absent when there are none);
 *       {@code grad_share_at}: grad% of the first window after; {@code grad_share_after} and
 *       {@code rotation_after_deg}: the medians over the windows after.</li>
 *   <li>Class, one event at the last window after (its kind), with {@code transition_step} among its values:
 *       {@code functional} when {@code grad_share_at ≥ functional} (default 0.1: the gradient still drives a
 *       real share of the edge as the task is learned); {@code compression} when
 *       {@code grad_share_after ≤ compression} (default 0.01) and {@code rotation_after_deg ≤ frozen}
 *       (default 15°: weight decay alone moves a direction that no longer turns); {@code mixed} otherwise.</li>
 * </ul>
 *
 * <p>The defaults come from the paper's two published shares at the transition, 5.3% for Dyck-1 (mixed) and
 * 0.2% for SCAN (compression): 1% lies between them (their geometric mean), 10% above the mixed one.
 * docs/science.md ("Detectors") says how they were chosen and what the classes do not see.
 *
 * <p>Statistics: {@code transitioned} (1 if t* was reached), {@code windows_with_share}; with a transition
 * {@code transition_step} and {@code windows_after}; with a class the event's values ({@code class_code}: 0
 * functional, 1 mixed, 2 compression) and {@code fire_step}. No transition, or fewer than {@code span}
 * windows with a share from t* on: no event.
 */
public final class GapFlowDetector implements EdgeDetector {

    static final String NAME = "gap-flow";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "gap-flow classifier (Lifecycle paper): functional, mixed or compression, from grad% on v_1 and v_1's"
                    + " rotation around the transition; needs the run's checkpoints (sedge detect)",
            ConfigKey.ofString("metric", "test_acc", "the metric whose crossing marks the transition (a metrics.csv"
                    + " column)"),
            ConfigKey.ofDouble("threshold", 0.95, "transition step = first window whose latest metric is >= this"),
            ConfigKey.ofInt("span", 5, "windows with a share from the transition on that the class is read from"),
            ConfigKey.ofDouble("functional", 0.1, "functional when grad% on v_1 at the transition is >= this (0..1)"),
            ConfigKey.ofDouble("compression", 0.01, "compression when the median grad% on v_1 from the transition on"
                    + " is <= this (0..1) and v_1 is frozen"),
            ConfigKey.ofDouble("frozen", 15.0, "v_1 is frozen when its median rotation from the transition on is <="
                    + " this (degrees)"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(String metric, double threshold, int span, double functional, double compression, double frozen) {
        Config {
            if (span < 1) {
                throw new IllegalArgumentException("span must be >= 1 window, found " + span);
            }
            if (metric.isBlank()) {
                throw new IllegalArgumentException("metric must name a metrics column such as test_acc, found blank");
            }
            if (!(compression >= 0 && compression < functional && functional <= 1)) {
                throw new IllegalArgumentException("need 0 <= compression < functional <= 1, found compression "
                        + compression + " and functional " + functional);
            }
            if (!(frozen >= 0 && frozen <= 90)) {
                throw new IllegalArgumentException("frozen must be an angle in [0, 90] degrees, found " + frozen);
            }
        }

        static Config of(PluginConfig config) {
            return new Config(config.stringValue("metric").strip(), config.doubleValue("threshold"),
                    config.intValue("span"), config.doubleValue("functional"), config.doubleValue("compression"), config.doubleValue("frozen"));
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
        return new GapFlowRun(Config.of(config));
    }

    @Override
    public Set<String> hostMetrics() {
        return Set.of(SpectralWindow.EDGE_GRADIENT_SHARE, SpectralWindow.EDGE_ROTATION);
    }
}
