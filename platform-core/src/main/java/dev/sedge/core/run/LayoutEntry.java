package dev.sedge.core.run;

import dev.sedge.api.checkpoint.DType;
import java.util.List;
import java.util.Objects;

/**
 * One parameter of a run's model, as recorded in {@code run.json}.
 *
 * @param name  as in the checkpoints
 * @param shape dimensions, outermost first
 * @param dtype the stored type
 * @param group the parameter group it belongs to ({@code layer1}, {@code attn}), or empty
 */
public record LayoutEntry(String name, List<Long> shape, DType dtype, String group) {

    public LayoutEntry {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(group, "group");
    }
}
