package dev.sedge.api.detect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a detector concluded over a whole series.
 *
 * @param detector   the detector's name
 * @param events     every event, in step order; copied
 * @param statistics named numbers over the series ({@code late_ratio}, {@code max_slope}); names
 *                   snake_case, as everywhere in sedge's files; copied
 */
public record DetectorSummary(String detector, List<EdgeEvent> events, Map<String, Double> statistics) {

    public DetectorSummary {
        Objects.requireNonNull(detector, "detector");
        events = List.copyOf(events);
        statistics = Map.copyOf(statistics);
    }
}
