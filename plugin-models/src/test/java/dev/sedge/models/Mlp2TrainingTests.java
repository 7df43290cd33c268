package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.TaskShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mlp2 learning (a + b) mod 7 on every pair, full batch, plain gradient descent written inline
 * (the optimizers are another plugin), with each step's arrays in a sub-manager.
 */
class Mlp2TrainingTests {

    private static final int P = 7;

    /**
     * The step size for mlp2's default loss, zero-mean MSE without the 1/2: its gradient is twice
     * that of the halved loss, so 1 here takes the steps 2 took under the halved one (2 diverges).
     */
    private static final float LEARNING_RATE = 1f;

    /** What one training run leaves: the loss per step and the final parameters. */
    private record Outcome(List<Float> losses, List<float[]> parameters) {
    }

    private static Outcome train(String activation, int seed, int steps, float learningRate) {
        int n = P * P;
        int[] tokens = new int[2 * n];
        int[] labels = new int[n];
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                tokens[2 * (a * P + b)] = a;
                tokens[2 * (a * P + b) + 1] = b;
                labels[a * P + b] = (a + b) % P;
            }
        }
        Mlp2Architecture mlp2 = new Mlp2Architecture();
        ModelSpec spec = mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(),
                Map.of("hidden", 64, "activation", activation)), new TaskShape(P, 2, List.of(P)));
        Block block = spec.block();
        List<Float> losses = new ArrayList<>();
        try (NDManager model = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(seed);
            block.initialize(model, DataType.FLOAT32, new Shape(n, 2));
            ParameterStore store = new ParameterStore(model, false);
            for (int step = 0; step < steps; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = scope.create(tokens, new Shape(n, 2));
                    NDArray y = scope.create(labels);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDList out = block.forward(store, new NDList(x), true);
                        NDArray loss = spec.loss().evaluate(new NDList(y), out);
                        collector.backward(loss);
                        losses.add(loss.getFloat());
                    }
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        NDArray weight = p.getValue().getArray();
                        NDArray gradient = weight.getGradient();
                        NDArray view = weight.stopGradient();
                        scope.attachAll(gradient, view);
                        view.subi(gradient.mul(learningRate));
                        gradient.subi(gradient); // PyTorch accumulates gradients: zero them for the next step
                    }
                }
            }
            List<float[]> parameters = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                parameters.add(p.getValue().getArray().toFloatArray());
            }
            return new Outcome(losses, parameters);
        }
    }

    @Test
    void lossDropsUnderGradientDescentForSquareAndRelu() {
        for (String activation : List.of("square", "relu")) {
            List<Float> losses = train(activation, 3, 100, LEARNING_RATE).losses();
            float first = losses.getFirst();
            float last = losses.getLast();
            assertTrue(last < 0.1f * first, activation + ": loss went from " + first + " to " + last);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAfterTraining() {
        Outcome first = train("square", 11, 20, LEARNING_RATE);
        Outcome again = train("square", 11, 20, LEARNING_RATE);
        for (int i = 0; i < first.parameters().size(); i++) {
            assertArrayEquals(first.parameters().get(i), again.parameters().get(i), 0f, "parameter " + i);
        }
        assertArrayEquals(first.losses().toArray(), again.losses().toArray());
        Outcome other = train("square", 12, 20, LEARNING_RATE);
        assertFalse(Arrays.equals(first.parameters().getFirst(), other.parameters().getFirst()));
    }
}
