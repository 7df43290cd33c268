package dev.sedge.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The two-layer network ŷ_h = σ(XW)V_h of {@code mlp2}, one readout V_h per head, no biases.
 *
 * <p>X is the concatenation of the one-hot codes of the S input tokens over a vocabulary of n,
 * so XW is computed as a gather, never as a dense product: the hidden pre-activation of an
 * input (t_0 … t_{S−1}) is Σ_i W[i·n + t_i], the sum of one row of each position's block of W.
 * For mod-p arithmetic (S = 2, n = p) that is row a of W_a plus row b of W_b.
 *
 * <p>Parameters, in initialisation order (shapes are fan-in × fan-out, the transpose of
 * PyTorch's {@code nn.Linear.weight}):
 * <ul>
 *   <li>{@code layer1.weight}: W, (S·n) × K;</li>
 *   <li>{@code layer2.weight}: V, K × C, for a single head; for H &gt; 1 heads
 *       {@code layer2.0.weight} … {@code layer2.<H−1>.weight}, K × C_h each.</li>
 * </ul>
 *
 * <p>Input: an {@code NDList} of one integer array (batch × S) of tokens in [0, n) (INT32 or
 * INT64). Output: one FLOAT array (batch × C_h) per head, in head order. Every array the forward
 * pass creates belongs to the tokens' manager. Not thread-safe.
 *
 * <p>Probe points ({@link #probe}), computed by the forward pass stopped there:
 * <ul>
 *   <li>{@code hidden} (the default): σ(XW), batch × K. It does not depend on V, so a
 *       perturbation of {@code layer2} leaves it unchanged: probe {@code logits} for those;</li>
 *   <li>{@code logits}: ŷ, batch × ΣC_h, the heads' outputs concatenated in head order (head h
 *       in columns [C_0 + … + C_{h−1}, C_0 + … + C_h)).</li>
 * </ul>
 */
final class Mlp2Block extends ReadoutBlock {

    private static final byte VERSION = 1;

    /** The probe points, the default first. */

    private final int vocabularySize;
    private final int sequenceLength;
    private final Activation activation;
    private final Parameter layer1;
    private final List<Parameter> layer2 = new ArrayList<>();
    private final List<Integer> headClasses;

    /**
     * @param headClasses C_h per head, each &ge; 1; copied
     * @throws IllegalArgumentException if S·n overflows an int or a head has no class
     */
    Mlp2Block(int vocabularySize, int sequenceLength, List<Integer> headClasses, int hidden, Activation activation,
              FanInInitializer init) {
        super(VERSION, "mlp2", "hidden", sequenceLength);
        this.vocabularySize = vocabularySize;
        this.sequenceLength = sequenceLength;
        this.activation = activation;
        this.headClasses = List.copyOf(headClasses);
        int rows = Math.multiplyExact(sequenceLength, vocabularySize);
        layer1 = addParameter(Parameter.builder().setName("layer1.weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, hidden)).optInitializer(init).build());
        for (int h = 0; h < this.headClasses.size(); h++) {
            int classes = this.headClasses.get(h);
            if (classes < 1) {
                throw new IllegalArgumentException("head " + h + " needs >= 1 class, found " + classes);
            }
            String name = this.headClasses.size() == 1 ? "layer2.weight" : "layer2." + h + ".weight";
            layer2.add(addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(hidden, classes)).optInitializer(init).build()));
        }
    }

    /** σ(XW): batch × K, on the tokens' manager. */
    @Override
    NDArray features(ParameterStore parameterStore, NDArray tokens, boolean training) {
        Device device = tokens.getDevice();
        NDArray w = parameterStore.getValue(layer1, device, training);
        // XW = Σ_i W[i·n + t_i]: one batch × K gather per position, added in place (the gather's gradient does
        // not need its output). Gathering every position at once, batch × S × K, then summing made and read an
        // array S times larger; this gives the same values, bit for bit, in ~10% less time.
        NDArray pre = null;
        for (int i = 0; i < sequenceLength; i++) {
            NDArray rows = tokens.get(new NDIndex(":, {}", i)); // on the tokens' manager
            if (i > 0) {
                rows = rows.add(i * vocabularySize);
            }
            NDArray part = Embedding.embedding(rows, w, SparseFormat.DENSE).singletonOrThrow();
            pre = pre == null ? part : pre.addi(part);
        }
        return activation.apply(pre);
    }

    /** σ(XW)V_h for every head, in head order, on {@code hidden}'s manager. */
    @Override
    NDList readout(ParameterStore parameterStore, NDArray hidden, boolean training) {
        Device device = hidden.getDevice();
        NDList outputs = new NDList(layer2.size());
        for (Parameter v : layer2) {
            outputs.add(hidden.matMul(parameterStore.getValue(v, device, training)));
        }
        return outputs;
    }

    /** @return one (batch, C_h) shape per head */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return headClasses.stream().map(c -> new Shape(batch, c)).toArray(Shape[]::new);
    }

    @Override
    public String toString() {
        return "Mlp2Block[S=" + sequenceLength + ", n=" + vocabularySize + ", K=" + layer1.getShape().get(1)
                + ", sigma=" + activation.configName() + ", heads=" + headClasses + "]";
    }
}
