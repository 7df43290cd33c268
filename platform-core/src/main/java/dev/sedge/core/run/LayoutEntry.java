package dev.sedge.core.run;

import dev.sedge.api.checkpoint.DType;
import java.util.List;
import java.util.Objects;

/**
 * One parameter of a run's model, as recorded in {@code run.json}.
 *
 * @param name   as in the checkpoints
 * @param shape  dimensions, outermost first
 * @param dtype  the stored type
 * @param groups every parameter group it belongs to ({@code attn}, {@code all}), in the model's order of
 *               groups; empty when none. Groups overlap: a transformer's {@code all} holds every parameter,
 *               {@code attn} some of them
 */
public record LayoutEntry(String name, List<Long> shape, DType dtype, List<String> groups) {

    public LayoutEntry {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        Objects.requireNonNull(dtype, "dtype");
        groups = List.copyOf(groups);
    }

    /** An entry in one group, or in none when {@code group} is empty. */
    public LayoutEntry(String name, List<Long> shape, DType dtype, String group) {
        this(name, shape, dtype, group.isEmpty() ? List.of() : List.of(group));
    }

    /** The first of its groups (the one it is listed under), or empty. */
    public String group() {
        return groups.isEmpty() ? "" : groups.getFirst();
    }
}
