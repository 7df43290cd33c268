package dev.sedge.core.sweep;

import dev.sedge.core.experiment.ConfigSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * One condition of a planned sweep: a configuration run once per seed.
 *
 * @param slug    its label and folder name ({@code x2}, {@code x2_weight-decay-0})
 * @param control whether it is a control: the detector evaluation's ground truth is "grokking" for
 *                every other condition
 * @param group   the evaluation group it belongs to ({@code architecture.activation=square}), or
 *                {@code all} when the spec groups nothing
 * @param values  every factor of the sweep (keys set by some condition or the grid) to this
 *                condition's effective value, in the sweep's factor order; copied
 * @param source  its configuration without the seed (what {@code condition.json} holds)
 */
public record Condition(String slug, boolean control, String group, SequencedMap<String, String> values,
                        ConfigSource source) {

    public Condition {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(group, "group");
        values = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(values));
        Objects.requireNonNull(source, "source");
    }
}
