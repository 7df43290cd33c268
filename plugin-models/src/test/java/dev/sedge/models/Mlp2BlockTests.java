package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.TaskShape;
import java.nio.FloatBuffer;
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
        return initialisedSpec(settings, heads, seed).block();
    }

    private ModelSpec initialisedSpec(Map<String, ?> settings, List<Integer> heads, int seed) {
        Mlp2Architecture mlp2 = new Mlp2Architecture();
        ModelSpec spec = mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(), settings),
                new TaskShape(P, 2, heads));
        Engine.getInstance().setRandomSeed(seed);
        spec.block().initialize(model, DataType.FLOAT32, new Shape(1, 2));
        return spec;
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
        return forward(block, scope, false);
    }

    private NDList forward(Block block, NDManager scope, boolean training) {
        NDArray tokens = scope.create(allPairs(), new Shape(P * P, 2));
        return block.forward(new ParameterStore(model, false), new NDList(tokens), training);
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

    @Test
    void declaresTheHiddenLayerAsTheDefaultProbePointThenTheLogits() {
        assertEquals(List.of("hidden", "logits"), initialisedSpec(Map.of("hidden", 8), List.of(P), 1).probePoints());
    }

    /** W[r][k] = 0.3 sin(r + 2k) − 0.05 (signs of both kinds, so ReLU clips some units), K = 3, by hand. */
    @Test
    void hiddenProbeIsSigmaOfXwComputedByHand() {
        int k = 3;
        int[][] pairs = {{0, 1}, {2, 4}, {4, 0}, {3, 3}};
        float[] w = new float[2 * P * k];
        for (int r = 0; r < 2 * P; r++) {
            for (int j = 0; j < k; j++) {
                w[r * k + j] = (float) (0.3 * Math.sin(r + 2 * j) - 0.05);
            }
        }
        for (String activation : List.of("square", "relu")) {
            ModelSpec spec = initialisedSpec(Map.of("hidden", k, "activation", activation), List.of(P, 3), 1);
            parameter(spec.block(), "layer1.weight").set(FloatBuffer.wrap(w));
            int[] tokens = new int[2 * pairs.length];
            for (int i = 0; i < pairs.length; i++) {
                tokens[2 * i] = pairs[i][0];
                tokens[2 * i + 1] = pairs[i][1];
            }
            try (NDManager scope = model.newSubManager()) {
                NDList x = new NDList(scope.create(tokens, new Shape(pairs.length, 2)));
                NDArray hidden = spec.probe(new ParameterStore(model, false), x, "hidden");
                assertEquals(new Shape(pairs.length, k), hidden.getShape());
                assertEquals(DataType.FLOAT32, hidden.getDataType());
                float[] found = hidden.toFloatArray();
                int clipped = 0;
                for (int i = 0; i < pairs.length; i++) {
                    for (int j = 0; j < k; j++) {
                        double pre = w[pairs[i][0] * k + j] + w[(P + pairs[i][1]) * k + j];
                        double expected = activation.equals("square") ? pre * pre : Math.max(pre, 0);
                        clipped += pre < 0 ? 1 : 0;
                        assertEquals(expected, found[i * k + j], TOLERANCE, activation + " example " + i + " unit " + j);
                    }
                }
                assertTrue(clipped > 0 && clipped < pairs.length * k, "the case exercises both signs: " + clipped);
            }
        }
    }

    @Test
    void logitsProbeEqualsTheTrainingForwardWithHeadsConcatenatedInHeadOrder() {
        for (List<Integer> heads : List.of(List.of(P), List.of(P, 3, 2))) {
            ModelSpec spec = initialisedSpec(Map.of("hidden", 8), heads, 3);
            try (NDManager scope = model.newSubManager()) {
                NDList x = new NDList(scope.create(allPairs(), new Shape(P * P, 2)));
                ParameterStore store = new ParameterStore(model, false);
                NDList trained = spec.block().forward(store, x, true);
                NDArray logits = spec.probe(store, x, "logits");
                assertEquals(new Shape(P * P, heads.stream().mapToInt(Integer::intValue).sum()), logits.getShape());
                NDArray expected = trained.size() == 1 ? trained.singletonOrThrow() : NDArrays.concat(trained, 1);
                assertArrayEquals(expected.toFloatArray(), logits.toFloatArray(), TOLERANCE, "heads " + heads);
            }
        }
    }

    @Test
    void refusesAnUnknownProbePointListingTheKnownOnes() {
        ModelSpec spec = initialisedSpec(Map.of("hidden", 8), List.of(P), 1);
        try (NDManager scope = model.newSubManager()) {
            NDList x = new NDList(scope.create(allPairs(), new Shape(P * P, 2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> spec.probe(new ParameterStore(model, false), x, "residual"));
            assertTrue(e.getMessage().contains("'residual'") && e.getMessage().contains("hidden, logits"),
                    e.getMessage());
        }
    }

    @Test
    void layer1GradientEqualsTheDenseOneHotProductsGradient() {
        Block block = initialised(Map.of("hidden", 8), List.of(P), 11);
        NDArray w = parameter(block, "layer1.weight");
        NDArray v = parameter(block, "layer2.weight");
        try (NDManager scope = model.newSubManager()) {
            int[] sums = new int[P * P];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = (i / P + i % P) % P;
            }
            NDArray labels = scope.create(sums);
            NDArray dense = w.duplicate();
            scope.attachAll(dense);
            dense.setRequiresGradient(true);
            HeadsLoss loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.evaluate(new NDList(labels), forward(block, scope, true)));
                NDArray pre = scope.create(denseOneHots(), new Shape(P * P, 2 * P)).matMul(dense);
                collector.backward(loss.evaluate(new NDList(labels), new NDList(pre.mul(pre).matMul(v.stopGradient()))));
            }
            assertTrue(dense.getGradient().abs().sum().getFloat() > 0, "the case has a gradient");
            assertArrayEquals(dense.getGradient().toFloatArray(), w.getGradient().toFloatArray(), TOLERANCE);
        }
    }
}
