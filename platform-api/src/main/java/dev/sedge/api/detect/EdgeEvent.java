package dev.sedge.api.detect;

import java.util.Map;
import java.util.Objects;

/**
 * Something a detector saw.
 *
 * @param detector the detector's name
 * @param step     the window's step (its last snapshot)
 * @param kind     lower-kebab-case: {@code lock-in}, {@code g23-decline}, {@code collapse}
 * @param message  one sentence for people
 * @param values   the numbers behind it ({@code slope}, {@code ratio}); names snake_case; copied
 */
public record EdgeEvent(String detector, long step, String kind, String message, Map<String, Double> values) {

    public EdgeEvent {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        values = Map.copyOf(values);
    }
}
