package dev.sedge.core.sweep;

import java.util.Objects;
import java.util.Optional;

/**
 * A detector a sweep evaluates, and the statistic of its summary the AUROC and the late separation
 * are computed on.
 *
 * @param name      the detector's plugin name ({@code eigengap-slope})
 * @param statistic a statistic its summary reports ({@code late_ratio}); empty for none (then no AUROC)
 */
public record EvaluatedDetector(String name, Optional<String> statistic) {

    public EvaluatedDetector {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(statistic, "statistic");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a detector name must not be blank");
        }
    }
}
