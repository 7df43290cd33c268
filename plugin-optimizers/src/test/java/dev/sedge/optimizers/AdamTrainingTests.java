package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.api.model.TaskShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: {@code mlp2} (found through {@link ServiceLoader}, from plugin-models on the
 * class path) learns (a + b) mod 7 full batch under {@code adam}, driven the way a host drives
 * the two SPIs: one sub-manager per step, gradients zeroed after each update, the weight-decay
 * part accumulated per parameter.
 */
class AdamTrainingTests {

    private static final int P = 7;
    private static Architecture mlp2;

    /** The final parameters and accumulated decay parts by name, and the loss per step. */
    private record Outcome(List<Float> losses, Map<String, float[]> parameters, Map<String, float[]> decays) {
    }

    @BeforeAll
    static void findMlp2() {
        AdamTrainingTests.class.getModule().addUses(Architecture.class); // the patched test module has no `uses`
        mlp2 = ServiceLoader.load(Architecture.class).stream().map(ServiceLoader.Provider::get)
                .filter(a -> a.name().equals("mlp2")).findFirst().orElseThrow();
    }

    private static Outcome train(int seed, int steps, double weightDecay) {
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
        ModelSpec spec = mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(), Map.of("hidden", 64)),
                new TaskShape(P, 2, List.of(P)));
        Block block = spec.block();
        AdamOptimizer adam = new AdamOptimizer();
        PluginConfig adamConfig = PluginConfig.of("optimizer.adam", adam.descriptor(),
                Map.of("learning-rate", 1e-2, "weight-decay", weightDecay));
        List<Float> losses = new ArrayList<>();
        try (NDManager model = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(seed);
            block.initialize(model, DataType.FLOAT32, new Shape(n, 2));
            List<TensorInfo> layout = new ArrayList<>();
            Map<String, NDArray> decays = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape shape = p.getValue().getShape();
                layout.add(new TensorInfo(p.getKey(), DType.F32, Arrays.stream(shape.getShape()).boxed().toList()));
                decays.put(p.getKey(), model.zeros(shape));
            }
            ParameterStore store = new ParameterStore(model, false);
            try (OptimizerRun run = adam.create(adamConfig, layout)) {
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
                        for (Pair<String, Parameter> p : block.getParameters()) {
                            NDArray weight = p.getValue().getArray();
                            NDArray gradient = weight.getGradient();
                            scope.attachAll(gradient);
                            run.update(step, p.getKey(), weight, gradient, decays.get(p.getKey()));
                            gradient.subi(gradient); // PyTorch accumulates gradients
                        }
                    }
                }
            }
            Map<String, float[]> parameters = new LinkedHashMap<>();
            Map<String, float[]> decayParts = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                parameters.put(p.getKey(), p.getValue().getArray().toFloatArray());
                decayParts.put(p.getKey(), decays.get(p.getKey()).toFloatArray());
            }
            return new Outcome(losses, parameters, decayParts);
        }
    }

    @Test
    void lossDropsOnModularAdditionUnderAdam() {
        List<Float> losses = train(5, 60, 1e-3).losses();
        assertTrue(losses.getLast() < 0.1f * losses.getFirst(),
                "loss went from " + losses.getFirst() + " to " + losses.getLast());
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAndDecayParts() {
        Outcome first = train(9, 15, 1e-2);
        Outcome again = train(9, 15, 1e-2);
        assertEquals(first.parameters().keySet(), again.parameters().keySet());
        for (String name : first.parameters().keySet()) {
            assertArrayEquals(first.parameters().get(name), again.parameters().get(name), 0f, name);
            assertArrayEquals(first.decays().get(name), again.decays().get(name), 0f, name + " decay part");
        }
        assertArrayEquals(first.losses().toArray(), again.losses().toArray());
    }

    @Test
    void weightDecayPartIsNonZeroWithWeightDecayAndExactlyZeroWithout() {
        Outcome decayed = train(9, 15, 0.1);
        for (Map.Entry<String, float[]> e : decayed.decays().entrySet()) {
            double norm = 0;
            for (float d : e.getValue()) {
                norm += (double) d * d;
            }
            assertTrue(norm > 0, e.getKey() + ": no weight-decay part at weight decay 0.1");
        }
        Outcome plain = train(9, 15, 0);
        for (float[] decay : plain.decays().values()) {
            assertArrayEquals(new float[decay.length], decay, 0f);
        }
    }
}
