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
 * The model of {@code encoder-decoder}: its block, its loss ({@link TokenLoss}) and its groups. {@link #block()}
 * returns the same (mutable, not thread-safe) block on every call. Probe points: {@code residual} (the
 * default) and {@code logits}, as {@link EncoderDecoderBlock} has them.
 *
 * @param groups copied; the first is the default
 */
record EncoderDecoderSpec(EncoderDecoderBlock block, Loss loss, List<ParameterGroup> groups) implements ModelSpec {

    EncoderDecoderSpec {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(loss, "loss");
        groups = List.copyOf(groups);
    }

    /** None: no dropout, no batch statistics. */
    @Override
    public boolean trainingChangesOutputs() {
        return false;
    }

    @Override
    public List<String> probePoints() {
        return EncoderDecoderBlock.PROBE_POINTS;
    }

    @Override
    public NDArray probe(ParameterStore parameters, NDList inputs, String point) {
        return block.probe(Objects.requireNonNull(parameters, "parameters"), inputs, point);
    }
}
