package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.sedge.api.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;

/**
 * One {@code mlp2} model. {@link #block()} returns the same (mutable, not thread-safe) block on
 * every call. Probe points: {@code hidden} (the default), {@code logits}; see {@link Mlp2Block}.
 *
 * @param groups copied; the first is the default
 */
record Mlp2Spec(Mlp2Block block, Loss loss, List<ParameterGroup> groups) implements ModelSpec {

    Mlp2Spec {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(loss, "loss");
        groups = List.copyOf(groups);
    }

    /** None: two matrices and an activation, no dropout, no batch statistics. */
    @Override
    public boolean trainingChangesOutputs() {
        return false;
    }

    @Override
    public List<String> probePoints() {
        return block.probePoints();
    }

    @Override
    public NDArray probe(ParameterStore parameters, NDList inputs, String point) {
        return block.probe(Objects.requireNonNull(parameters, "parameters"), inputs, point);
    }
}
