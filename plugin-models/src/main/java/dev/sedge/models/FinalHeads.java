package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The end of both transformers: the final LayerNorm and one linear readout per task head,
 * ŷ_h = LN_f(x) W_hᵀ + b_h, over the last axis of x (batch × d, or batch × T × d for a tagger).
 *
 * <p>Parameters, registered in this order after the layers': {@code ln_f.weight}, {@code ln_f.bias}
 * (d), 1 and 0; per head h, {@code head.<h>.weight} (C_h × d) and {@code head.<h>.bias} (C_h),
 * U(±1/√d). Not thread-safe.
 */
final class FinalHeads {

    private final Parameter gain;
    private final Parameter shift;
    private final List<Parameter[]> heads = new ArrayList<>();

    /**
     * @param headClasses C_h per head
     * @param adder       registers a parameter with the owning block and returns it
     * @throws IllegalArgumentException if a head has no class
     */
    FinalHeads(int dModel, List<Integer> headClasses, UnaryOperator<Parameter> adder) {
        gain = adder.apply(EncoderLayer.gain("ln_f.weight", dModel));
        shift = adder.apply(EncoderLayer.shift("ln_f.bias", dModel));
        for (int h = 0; h < headClasses.size(); h++) {
            int classes = headClasses.get(h);
            if (classes < 1) {
                throw new IllegalArgumentException("head " + h + " needs >= 1 class, found " + classes);
            }
            heads.add(new Parameter[] {
                adder.apply(EncoderLayer.linear("head." + h + ".weight", Parameter.Type.WEIGHT,
                        new Shape(classes, dModel), dModel)),
                adder.apply(EncoderLayer.linear("head." + h + ".bias", Parameter.Type.BIAS, new Shape(classes),
                        dModel))});
        }
    }

    /** ŷ_h for every head, in head order, on {@code x}'s manager. */
    NDList apply(ParameterStore store, NDArray x, boolean training) {
        Device device = x.getDevice();
        NDArray normed = EncoderLayer.layerNorm(x, store.getValue(gain, device, training),
                store.getValue(shift, device, training));
        NDList outputs = new NDList(heads.size());
        for (Parameter[] head : heads) {
            outputs.add(Linear.linear(normed, store.getValue(head[0], device, training),
                    store.getValue(head[1], device, training)).singletonOrThrow());
        }
        return outputs;
    }
}
