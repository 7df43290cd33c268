package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.model.ModelSpec;
import dev.sedge.api.model.TaskShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Mlp2BlockTests {

    /** Outputs of order 1 in float32. */
    private static final float TOLERANCE = 1e-6f;
    private static final int P = 5;

    private NDManager model;

    @BeforeEach
    void openManager() {
        model = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        model.close();
    }

    private Block initialised(Map<String, ?> settings, List<Integer> heads, int seed) {
        Mlp2Architecture mlp2 = new Mlp2Architecture();
        ModelSpec spec = mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(), settings),
                new TaskShape(P, 2, heads));
        Engine.getInstance().setRandomSeed(seed);
        spec.block().initialize(model, DataType.FLOAT32, new Shape(1, 2));
        return spec.block();
    }

    /** Every pair (a, b) over Z_P, row-major: a × P + b. */
    private static int[] allPairs() {
        int[] tokens = new int[2 * P * P];
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                tokens[2 * (a * P + b)] = a;
                tokens[2 * (a * P + b) + 1] = b;
            }
        }
        return tokens;
    }

    /** X: the P² × 2P concatenated one-hot codes of all pairs. */
    private static float[] denseOneHots() {
        float[] x = new float[P * P * 2 * P];
        for (int a = 0; a < P; a++) {
            for (int b = 0; b < P; b++) {
                int row = a * P + b;
                x[row * 2 * P + a] = 1f;
                x[row * 2 * P + P + b] = 1f;
            }
        }
        return x;
    }

    private static NDArray parameter(Block block, String name) {
        return block.getParameters().get(name).getArray();
    }

    private NDList forward(Block block, NDManager scope) {
        NDArray tokens = scope.create(allPairs(), new Shape(P * P, 2));
        return block.forward(new ParameterStore(model, false), new NDList(tokens), false);
    }

    @Test
    void givesOneBatchByClassesOutputForOneHead() {
        Block block = initialised(Map.of("hidden", 8), List.of(P), 1);
        try (NDManager scope = model.newSubManager()) {
            NDList out = forward(block, scope);
            assertEquals(1, out.size());
            assertEquals(new Shape(P * P, P), out.get(0).getShape());
            assertEquals(DataType.FLOAT32, out.get(0).getDataType());
            assertArrayEquals(new Shape[] {new Shape(25, P)}, block.getOutputShapes(new Shape[] {new Shape(25, 2)}));
        }
    }

    @Test
    void givesOneOutputPerHeadInHeadOrder() {
        Block block = initialised(Map.of("hidden", 8), List.of(P, 3, 2), 1);
        try (NDManager scope = model.newSubManager()) {
            NDList out = forward(block, scope);
            assertEquals(List.of(new Shape(25, P), new Shape(25, 3), new Shape(25, 2)),
                    out.stream().map(NDArray::getShape).toList());
        }
    }

    @Test
    void gatherEqualsTheDenseOneHotProductForSquareAndRelu() {
        for (String activation : List.of("square", "relu")) {
            Block block = initialised(Map.of("hidden", 8, "activation", activation), List.of(P, 3), 7);
            try (NDManager scope = model.newSubManager()) {
                NDList out = forward(block, scope);
                NDArray x = scope.create(denseOneHots(), new Shape(P * P, 2 * P));
                NDArray pre = x.matMul(parameter(block, "layer1.weight"));
                NDArray hidden = activation.equals("square") ? pre.mul(pre) : pre.maximum(0f);
                for (int h = 0; h < 2; h++) {
                    NDArray expected = hidden.matMul(parameter(block, "layer2." + h + ".weight"));
                    assertArrayEquals(expected.toFloatArray(), out.get(h).toFloatArray(), TOLERANCE,
                            activation + " head " + h);
                }
            }
        }
    }

    @Test
    void initialisesFromTheEngineSeedWithinTheFanInBound() {
        Block first = initialised(Map.of("hidden", 8), List.of(P), 42);
        float[] w1 = parameter(first, "layer1.weight").toFloatArray();
        float[] w2 = parameter(first, "layer2.weight").toFloatArray();
        Block again = initialised(Map.of("hidden", 8), List.of(P), 42);
        assertArrayEquals(w1, parameter(again, "layer1.weight").toFloatArray(), 0f);
        assertArrayEquals(w2, parameter(again, "layer2.weight").toFloatArray(), 0f);
        double bound1 = 1 / Math.sqrt(2 * P);
        double bound2 = 1 / Math.sqrt(8);
        for (float w : w1) {
            assertEquals(0, w, bound1);
        }
        for (float w : w2) {
            assertEquals(0, w, bound2);
        }
    }

    @Test
    void leavesNoTemporaryOnTheParametersManager() {
        Block block = initialised(Map.of("hidden", 8), List.of(P), 1);
        int before = model.getManagedArrays().size();
        try (NDManager scope = model.newSubManager()) {
            NDList out = forward(block, scope);
            new HeadsLoss(LossKind.ZERO_MEAN_MSE).evaluate(new NDList(scope.zeros(new Shape(25), DataType.INT32)),
                    out);
        }
        assertEquals(before, model.getManagedArrays().size());
    }

    @Test
    void rejectsTokensOfAnotherSequenceLength() {
        Block block = initialised(Map.of("hidden", 8), List.of(P), 1);
        try (NDManager scope = model.newSubManager()) {
            NDArray three = scope.zeros(new Shape(4, 3), DataType.INT32);
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(new ParameterStore(model, false), new NDList(three), false));
        }
    }
}
