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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small transformer learning (a + b) mod 11 on every pair, full batch, under a plain Adam
 * written inline (the optimizers are another plugin), each step's arrays in a sub-manager.
 */
class TransformerTrainingTests {

    private static final int P = 11;
    private static final Map<String, Object> SETTINGS = Map.of("layers", 1, "d-model", 32, "heads", 4, "ff", 64);

    /** What one training run leaves: the loss per step and the final parameters. */
    private record Outcome(List<Float> losses, List<float[]> parameters) {
    }

    private static Outcome train(int seed, int steps) {
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
        TransformerArchitecture transformer = new TransformerArchitecture();
        ModelSpec spec = transformer.create(PluginConfig.of("architecture.transformer", transformer.descriptor(),
                SETTINGS), new TaskShape(P, 2, List.of(P)));
        Block block = spec.block();
        List<Float> losses = new ArrayList<>();
        try (NDManager model = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(seed);
            block.initialize(model, DataType.FLOAT32, new Shape(n, 2));
            ParameterStore store = new ParameterStore(model, false);
            Map<String, NDArray[]> moments = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape shape = p.getValue().getShape();
                moments.put(p.getKey(), new NDArray[] {model.zeros(shape), model.zeros(shape)});
            }
            for (int step = 1; step <= steps; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = scope.create(tokens, new Shape(n, 2));
                    NDArray y = scope.create(labels);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDList out = block.forward(store, new NDList(x), true);
                        NDArray loss = spec.loss().evaluate(new NDList(y), out);
                        collector.backward(loss);
                        losses.add(loss.getFloat());
                    }
                    float c1 = (float) (1 - Math.pow(0.9, step));
                    float c2 = (float) Math.sqrt(1 - Math.pow(0.999, step));
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        NDArray weight = p.getValue().getArray();
                        NDArray gradient = weight.getGradient();
                        NDArray view = weight.stopGradient();
                        scope.attachAll(gradient, view);
                        NDArray[] mv = moments.get(p.getKey());
                        scope.tempAttachAll(mv);
                        mv[0].muli(0.9f).addi(gradient.mul(0.1f));
                        mv[1].muli(0.999f).addi(gradient.square().muli(0.001f));
                        view.subi(mv[0].div(mv[1].sqrt().divi(c2).addi(1e-8f)).muli(3e-3f / c1));
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
    void lossDropsOnModularAdditionUnderAdam() {
        List<Float> losses = train(3, 120).losses();
        float first = losses.getFirst();
        float last = losses.getLast();
        assertTrue(last < 0.1f * first, "loss went from " + first + " to " + last);
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAfterTraining() {
        Outcome first = train(11, 8);
        Outcome again = train(11, 8);
        for (int i = 0; i < first.parameters().size(); i++) {
            assertArrayEquals(first.parameters().get(i), again.parameters().get(i), 0f, "parameter " + i);
        }
        assertArrayEquals(first.losses().toArray(), again.losses().toArray());
        Outcome other = train(12, 8);
        assertFalse(Arrays.equals(first.parameters().getFirst(), other.parameters().getFirst()));
    }
}
