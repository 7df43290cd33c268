package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.testkit.OptimizerContract;
import dev.sedge.testkit.PluginContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamOptimizerTests {

    private final Optimizer adam = new AdamOptimizer();

    private PluginConfig config(Map<String, ?> settings) {
        return PluginConfig.of("optimizer.adam", adam.descriptor(), settings);
    }

    @Test
    void passesThePluginContract() {
        PluginConfig defaults = PluginContract.check(adam);
        assertEquals("adam", adam.name());
        assertEquals(1e-3, defaults.doubleValue("learning-rate"), 0.0);
        assertEquals(0.9, defaults.doubleValue("beta1"), 0.0);
        assertEquals(0.999, defaults.doubleValue("beta2"), 0.0);
        assertEquals(1e-8, defaults.doubleValue("epsilon"), 0.0);
        assertEquals(0.0, defaults.doubleValue("weight-decay"), 0.0);
    }

    @Test
    void passesTheOptimizerContractWithAndWithoutWeightDecay() {
        for (String weightDecay : List.of("0", "0.1")) {
            try (NDManager manager = NDManager.newBaseManager()) {
                OptimizerContract.check(adam, config(Map.of("weight-decay", weightDecay)), manager);
            }
        }
    }

    @Test
    void rejectsBeta1OfOneNamingTheKeyAndTheRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> adam.create(config(Map.of("beta1", "1.0")), List.of()));
        assertTrue(e.getMessage().contains("beta1") && e.getMessage().contains("[0, 1)")
                && e.getMessage().contains("found 1.0"), e.getMessage());
        assertTrue(e.getMessage().contains("optimizer.adam"), e.getMessage());
    }

    @Test
    void rejectsNegativeWeightDecay() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> adam.create(config(Map.of("weight-decay", "-1e-4")), List.of()));
        assertTrue(e.getMessage().contains("weight-decay"), e.getMessage());
    }

    @Test
    void rejectsANonPositiveLearningRateOrEpsilon() {
        assertThrows(ConfigException.class, () -> adam.create(config(Map.of("learning-rate", "0")), List.of()));
        assertThrows(ConfigException.class, () -> adam.create(config(Map.of("epsilon", "0")), List.of()));
    }

    @Test
    void rejectsIntegerParametersAndRepeatedNames() {
        TensorInfo tokens = new TensorInfo("tokens", DType.I32, List.of(3L));
        assertThrows(IllegalArgumentException.class, () -> adam.create(config(Map.of()), List.of(tokens)));
        TensorInfo w = new TensorInfo("w", DType.F32, List.of(3L));
        assertThrows(IllegalArgumentException.class, () -> adam.create(config(Map.of()), List.of(w, w)));
    }

    @Test
    void reportsTheConfiguredLearningRateAtEveryStep() {
        try (OptimizerRun run = adam.create(config(Map.of("learning-rate", "0.25")), List.of())) {
            assertEquals(0.25, run.learningRate(1), 0.0);
            assertEquals(0.25, run.learningRate(1000), 0.0);
            assertThrows(IllegalArgumentException.class, () -> run.learningRate(0));
        }
    }
}
