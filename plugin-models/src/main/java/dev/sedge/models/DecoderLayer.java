package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/**
 * One pre-LN decoder layer of {@link EncoderDecoderBlock}, as PyTorch's {@code nn.TransformerDecoderLayer}
 * ({@code norm_first=True}, GELU, no dropout) computes it:
 * <pre>
 *   y ← y + SelfAttn(LN1(y)),   causal: decoder position i attends to decoder positions 0 … i
 *   y ← y + CrossAttn(LN2(y), memory), the encoder's padding keys masked out
 *   y ← y + fc2 · GELU(fc1 · LN3(y))
 * </pre>
 *
 * <p>Parameters, with the prefix {@code decoder.<l>.}, in initialisation order: {@code ln1.weight},
 * {@code ln1.bias}; {@code attn.q.weight} … {@code attn.o.bias} (self-attention, as
 * {@link MultiHeadAttention}); {@code ln2.weight}, {@code ln2.bias}; {@code cross.q.weight} …
 * {@code cross.o.bias}; {@code ln3.weight}, {@code ln3.bias}; {@code mlp.fc1.weight} (ff × d),
 * {@code mlp.fc1.bias}, {@code mlp.fc2.weight} (d × ff), {@code mlp.fc2.bias}. Initialised as
 * {@link EncoderLayer}'s. Not thread-safe.
 */
final class DecoderLayer {

    private final Parameter ln1Weight;
    private final Parameter ln1Bias;
    private final MultiHeadAttention selfAttention;
    private final Parameter ln2Weight;
    private final Parameter ln2Bias;
    private final MultiHeadAttention crossAttention;
    private final Parameter ln3Weight;
    private final Parameter ln3Bias;
    private final Parameter fc1Weight;
    private final Parameter fc1Bias;
    private final Parameter fc2Weight;
    private final Parameter fc2Bias;

    /**
     * @param index l, this layer's position in the decoder stack
     * @param adder registers a parameter with the owning block and returns it
     */
    DecoderLayer(int index, int dModel, int heads, int ff, UnaryOperator<Parameter> adder) {
        String prefix = "decoder." + index + ".";
        ln1Weight = adder.apply(EncoderLayer.gain(prefix + "ln1.weight", dModel));
        ln1Bias = adder.apply(EncoderLayer.shift(prefix + "ln1.bias", dModel));
        selfAttention = new MultiHeadAttention(prefix + "attn", dModel, heads, adder);
        ln2Weight = adder.apply(EncoderLayer.gain(prefix + "ln2.weight", dModel));
        ln2Bias = adder.apply(EncoderLayer.shift(prefix + "ln2.bias", dModel));
        crossAttention = new MultiHeadAttention(prefix + "cross", dModel, heads, adder);
        ln3Weight = adder.apply(EncoderLayer.gain(prefix + "ln3.weight", dModel));
        ln3Bias = adder.apply(EncoderLayer.shift(prefix + "ln3.bias", dModel));
        fc1Weight = adder.apply(EncoderLayer.linear(prefix + "mlp.fc1.weight", Parameter.Type.WEIGHT,
                new Shape(ff, dModel), dModel));
        fc1Bias = adder.apply(EncoderLayer.linear(prefix + "mlp.fc1.bias", Parameter.Type.BIAS, new Shape(ff), dModel));
        fc2Weight = adder.apply(EncoderLayer.linear(prefix + "mlp.fc2.weight", Parameter.Type.WEIGHT,
                new Shape(dModel, ff), ff));
        fc2Bias = adder.apply(EncoderLayer.linear(prefix + "mlp.fc2.bias", Parameter.Type.BIAS, new Shape(dModel), ff));
    }

    /**
     * @param y          the decoder's residual stream, batch × L × d; not modified
     * @param memory     the encoder's output, batch × S × d; not modified
     * @param memoryMask null, or the additive key padding mask of the memory, batch × 1 × 1 × S (0 at a
     *                   token, −∞ at padding); not modified
     * @return y after this layer, a new array on y's manager, batch × L × d
     */
    NDArray forward(ParameterStore store, NDArray y, NDArray memory, NDArray memoryMask, boolean training) {
        Device device = y.getDevice();
        NDArray normed = EncoderLayer.layerNorm(y, store.getValue(ln1Weight, device, training),
                store.getValue(ln1Bias, device, training));
        y = y.add(selfAttention.apply(store, normed, normed, true, null, training));
        normed = EncoderLayer.layerNorm(y, store.getValue(ln2Weight, device, training),
                store.getValue(ln2Bias, device, training));
        y = y.add(crossAttention.apply(store, normed, memory, false, memoryMask, training));
        normed = EncoderLayer.layerNorm(y, store.getValue(ln3Weight, device, training),
                store.getValue(ln3Bias, device, training));
        return y.add(EncoderLayer.feedForward(store, normed, training, fc1Weight, fc1Bias, fc2Weight, fc2Bias));
    }
}
