package dev.sedge.models;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import dev.sedge.api.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;

/**
 * One {@code mlp2} model. {@link #block()} returns the same (mutable, not thread-safe) block on
 * every call.
 *
 * @param groups copied; the first is the default
 */
record Mlp2Spec(Block block, Loss loss, List<ParameterGroup> groups) implements ModelSpec {

    Mlp2Spec {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(loss, "loss");
        groups = List.copyOf(groups);
    }
}
