package dev.sedge.models;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import dev.sedge.api.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;

/**
 * One {@code transformer} model. {@link #block()} returns the same (mutable, not thread-safe)
 * block on every call.
 *
 * @param groups copied; the first is the default
 */
record TransformerSpec(Block block, Loss loss, List<ParameterGroup> groups) implements ModelSpec {

    TransformerSpec {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(loss, "loss");
        groups = List.copyOf(groups);
    }
}
