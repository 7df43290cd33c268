package dev.sedge.core.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * One explicitly named condition of a sweep spec: {@code {"name": "x2-no-wd", "set": {...}, "control": true}}.
 *
 * @param name    its label, also its folder name: letters, digits, {@code . _ + -}
 * @param set     configuration keys it overrides (flat, dotted) to their values, in spec order; copied
 * @param control whether it is a control (ground truth for the detector evaluation); empty to let the
 *                spec's {@code controls} rule decide
 */
public record ConditionSpec(String name, SequencedMap<String, String> set, Optional<Boolean> control) {

    public ConditionSpec {
        Slugs.requireSlug(name, "condition name");
        set = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(set));
        Objects.requireNonNull(control, "control");
    }
}
