package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.testkit.OptimizerContract;
import dev.sedge.testkit.PluginContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWOptimizerTests {

    private static final int ROWS = 5;
    private static final int COLUMNS = 7;

    private final AdamWOptimizer adamw = new AdamWOptimizer();
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private PluginConfig config(Map<String, ?> settings) {
        return PluginConfig.of("optimizer.adamw", adamw.descriptor(), settings);
    }

    private OptimizerRun run(Map<String, ?> settings, String name, long... shape) {
        return adamw.create(config(settings),
                List.of(new TensorInfo(name, DType.F32, java.util.Arrays.stream(shape).boxed().toList())));
    }

    @Test
    void passesThePluginContractWithTorchDefaults() {
        PluginConfig defaults = PluginContract.check(adamw);
        assertEquals("adamw", adamw.name());
        assertEquals(1e-3, defaults.doubleValue("learning-rate"), 0.0);
        assertEquals(0.9, defaults.doubleValue("beta1"), 0.0);
        assertEquals(0.999, defaults.doubleValue("beta2"), 0.0);
        assertEquals(1e-8, defaults.doubleValue("epsilon"), 0.0);
        assertEquals(1e-2, defaults.doubleValue("weight-decay"), 0.0);
    }

    @Test
    void passesTheOptimizerContractWithAndWithoutWeightDecay() {
        for (String weightDecay : List.of("0", "1.0")) {
            OptimizerContract.check(adamw, config(Map.of("weight-decay", weightDecay)), manager);
        }
    }

    @Test
    void matchesTorchAdamWGoldenValues() {
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05), "theta", 2, 3)) {
            TorchGolden.check("adamw-defaults-lr", run, manager, false);
        }
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "beta2", 0.98, "weight-decay", 1.0),
                "theta", 2, 3)) {
            TorchGolden.check("adamw-protocol", run, manager, false);
        }
    }

    @Test
    void followsTheDoublePrecisionReferenceWithItsDecayPart() {
        double[] start = ReferenceCheck.initialTheta(ROWS, COLUMNS);
        for (double wd : new double[] {1.0, 0.0}) {
            Reference reference = new ReferenceAdamW(start, 1e-2, 0.9, 0.98, 1e-8, wd);
            try (OptimizerRun run = run(Map.of("learning-rate", 1e-2, "beta2", 0.98, "weight-decay", wd), "w",
                    ROWS, COLUMNS)) {
                double largestDecay = ReferenceCheck.follow(manager, run, "w", reference, ROWS, COLUMNS, 8);
                assertEquals(wd > 0, largestDecay > 1e-3, "decay part at weight decay " + wd + ": " + largestDecay);
            }
        }
    }

    @Test
    void theDecayPartOfOneStepIsExactlyMinusLrTimesOmegaTimesThePreviousWeight() {
        float lr = 0.01f;
        float omega = 0.5f;
        float[] before = ReferenceCheck.toFloats(ReferenceCheck.initialTheta(ROWS, COLUMNS));
        NDArray theta = manager.create(before, new Shape(ROWS, COLUMNS));
        NDArray decay = manager.zeros(new Shape(ROWS, COLUMNS));
        try (OptimizerRun run = run(Map.of("learning-rate", lr, "weight-decay", omega), "w", ROWS, COLUMNS);
             NDArray gradient = manager.ones(new Shape(ROWS, COLUMNS))) {
            run.update(1, "w", theta, gradient, decay);
        }
        float factor = (float) -((double) lr * omega);
        float[] expected = new float[before.length];
        for (int i = 0; i < before.length; i++) {
            expected[i] = before[i] * factor;
        }
        assertArrayEquals(expected, decay.toFloatArray(), 0f);
    }

    @Test
    void aRunRestoredFromAnotherRunsStateContinuesBitIdentically() {
        ResumeCheck check = new ResumeCheck(adamw, config(Map.of("learning-rate", 1e-2, "weight-decay", 1.0)),
                manager);
        check.restoredRunContinuesBitIdentically();
        check.freshStateIsZerosAtStepZero();
        check.refusesBrokenStates();
    }

    @Test
    void namesTheMomentsAsPyTorchsExpAvgAndExpAvgSq() {
        try (OptimizerRun run = run(Map.of(), "w", 2)) {
            assertEquals(List.of("adamw.m.w", "adamw.v.w", "adamw.step.w"),
                    run.state().stream().map(t -> t.info().name()).toList());
        }
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        for (Map.Entry<String, Object> bad : List.of(Map.entry("learning-rate", (Object) 0),
                Map.entry("beta1", (Object) 1.0), Map.entry("beta2", (Object) (-0.1)),
                Map.entry("epsilon", (Object) 0), Map.entry("weight-decay", (Object) (-1)))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> adamw.create(config(Map.of(bad.getKey(), bad.getValue())), List.of()));
            assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains("optimizer.adamw"),
                    e.getMessage());
        }
    }
}
