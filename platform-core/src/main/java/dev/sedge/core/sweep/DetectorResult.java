package dev.sedge.core.sweep;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one live detector did in one run.
 *
 * @param fireStep   the step of its first event, or empty if it never fired
 * @param statistics its summary's statistics ({@code late_ratio}, {@code max_slope} …); copied, sorted by name
 */
public record DetectorResult(OptionalLong fireStep, Map<String, Double> statistics) {

    public DetectorResult {
        Objects.requireNonNull(fireStep, "fireStep");
        statistics = Collections.unmodifiableSortedMap(new TreeMap<>(statistics));
    }
}
