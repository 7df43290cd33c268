package dev.sedge.core.detect;

import dev.sedge.api.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One detector to run and its settings, as the user wrote them: textual values by key, checked
 * against the detector's descriptor only when the job starts.
 *
 * @param name     the detector's name ({@code g23-decline})
 * @param settings key (without the {@code detector.<name>.} scope) to textual value; copied
 */
public record DetectorChoice(String name, Map<String, String> settings) {

    public DetectorChoice {
        Objects.requireNonNull(name, "name");
        settings = Map.copyOf(settings);
    }

    /** {@code name} at its defaults. */
    public static DetectorChoice of(String name) {
        return new DetectorChoice(name, Map.of());
    }

    /**
     * Parses {@code key=value} assignments. A key may carry the full scope
     * ({@code detector.g23-decline.threshold=0.99}); it is stripped.
     *
     * @param assignments not modified
     * @throws ConfigException for an assignment without {@code =} or with an empty key, a key given
     *                         twice, or a scoped key naming another detector
     */
    public static DetectorChoice parse(String name, List<String> assignments) {
        String scope = "detector." + name + ".";
        Map<String, String> settings = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            String key = eq < 0 ? "" : assignment.substring(0, eq).strip();
            if (key.startsWith(scope)) {
                key = key.substring(scope.length());
            } else if (key.startsWith("detector.")) {
                throw new ConfigException("'" + assignment + "' configures another detector; expected keys of "
                        + scope + "… or bare keys such as threshold=0.99");
            }
            if (key.isEmpty()) {
                throw new ConfigException("expected key=value for detector " + name + ", found '" + assignment + "'");
            }
            if (settings.putIfAbsent(key, assignment.substring(eq + 1).strip()) != null) {
                throw new ConfigException("'" + scope + key + "' is given twice; give each key once");
            }
        }
        return new DetectorChoice(name, settings);
    }
}
