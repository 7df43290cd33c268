package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;

/**
 * One model of this module ({@code mlp2}, {@code transformer}): a {@link ReadoutBlock}, its loss and
 * its groups. {@link #block()} returns the same (mutable, not thread-safe) block on every call. Probe
 * points are the block's: its features (the default: mlp2's {@code hidden}, the transformer's
 * {@code residual}), then {@code logits}.
 *
 * @param groups copied; the first is the default
 */
record ReadoutSpec(ReadoutBlock block, Loss loss, List<ParameterGroup> groups) implements ModelSpec {

    ReadoutSpec {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(loss, "loss");
        groups = List.copyOf(groups);
    }

    /** None: no dropout, no batch statistics in either architecture. */
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
