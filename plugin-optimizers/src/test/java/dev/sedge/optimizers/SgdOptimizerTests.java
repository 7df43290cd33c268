package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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

class SgdOptimizerTests {

    private static final int ROWS = 5;
    private static final int COLUMNS = 7;

    private final SgdOptimizer sgd = new SgdOptimizer();
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
        return PluginConfig.of("optimizer.sgd", sgd.descriptor(), settings);
    }

    private OptimizerRun run(Map<String, ?> settings, String name, long... shape) {
        return sgd.create(config(settings),
                List.of(new TensorInfo(name, DType.F32, java.util.Arrays.stream(shape).boxed().toList())));
    }

    @Test
    void passesThePluginContractWithTorchDefaults() {
        PluginConfig defaults = PluginContract.check(sgd);
        assertEquals("sgd", sgd.name());
        assertEquals(1e-3, defaults.doubleValue("learning-rate"), 0.0);
        assertEquals(0.0, defaults.doubleValue("momentum"), 0.0);
        assertEquals(0.0, defaults.doubleValue("dampening"), 0.0);
        assertEquals(0.0, defaults.doubleValue("weight-decay"), 0.0);
        assertFalse(defaults.booleanValue("nesterov"));
    }

    @Test
    void passesTheOptimizerContractInEveryMode() {
        List<Map<String, ?>> modes = List.of(Map.of(), Map.of("momentum", 0.9, "weight-decay", 0.1),
                Map.of("momentum", 0.9, "nesterov", true, "weight-decay", 0.1),
                Map.of("momentum", 0.5, "dampening", 0.5));
        for (Map<String, ?> mode : modes) {
            OptimizerContract.check(sgd, config(mode), manager);
        }
    }

    @Test
    void matchesTorchSgdGoldenValues() {
        try (OptimizerRun run = run(Map.of("learning-rate", 0.1), "theta", 2, 3)) {
            TorchGolden.check("sgd-plain", run, manager, false);
        }
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "momentum", 0.9, "dampening", 0.1,
                "weight-decay", 0.1), "theta", 2, 3)) {
            TorchGolden.check("sgd-momentum-dampening-wd", run, manager, false);
        }
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "momentum", 0.9, "nesterov", true,
                "weight-decay", 0.05), "theta", 2, 3)) {
            TorchGolden.check("sgd-nesterov-wd", run, manager, false);
        }
    }

    @Test
    void followsTheDoublePrecisionReferenceWithItsDecayPartInEveryMode() {
        double[] start = ReferenceCheck.initialTheta(ROWS, COLUMNS);
        record Mode(double momentum, double dampening, double weightDecay, boolean nesterov) {
        }
        for (Mode m : List.of(new Mode(0, 0, 0.2, false), new Mode(0.9, 0.1, 0.2, false),
                new Mode(0.9, 0, 0.2, true), new Mode(0.8, 0, 0, true))) {
            Reference reference = new ReferenceSgd(start, 0.05, m.momentum, m.dampening, m.weightDecay, m.nesterov);
            try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "momentum", m.momentum, "dampening",
                    m.dampening, "weight-decay", m.weightDecay, "nesterov", m.nesterov), "w", ROWS, COLUMNS)) {
                double largestDecay = ReferenceCheck.follow(manager, run, "w", reference, ROWS, COLUMNS, 8);
                assertEquals(m.weightDecay > 0, largestDecay > 1e-3, m + ": decay part " + largestDecay);
            }
        }
    }

    @Test
    void aRunRestoredFromAnotherRunsStateContinuesBitIdentically() {
        for (Map<String, ?> mode : List.<Map<String, ?>>of(
                Map.of("learning-rate", 0.05, "momentum", 0.9, "weight-decay", 0.1),
                Map.of("learning-rate", 0.05, "momentum", 0.9, "nesterov", true),
                Map.of("learning-rate", 0.05, "weight-decay", 0.1))) {
            ResumeCheck check = new ResumeCheck(sgd, config(mode), manager);
            check.restoredRunContinuesBitIdentically();
            check.freshStateIsZerosAtStepZero();
        }
        new ResumeCheck(sgd, config(Map.of("momentum", 0.9, "weight-decay", 0.1)), manager).refusesBrokenStates();
    }

    /** A fork that switches weight decay off keeps PyTorch's momentum buffer, which already holds the decay's share. */
    @Test
    void aStateSavedWithWeightDecayRestoresIntoARunWithoutKeepingTheWholeBuffer() {
        var decayed = new ResumeCheck(sgd, config(Map.of("momentum", 0.9, "weight-decay", 0.1)), manager)
                .stateAfterTwoSteps();
        try (OptimizerRun run = sgd.create(config(Map.of("momentum", 0.9, "weight-decay", 0.0)), ResumeCheck.LAYOUT)) {
            run.restore(decayed);
            var kept = decayed.stream().filter(t -> !t.info().name().contains(".momentum_wd.")).toList();
            assertEquals(kept.stream().map(t -> t.info().name()).toList(),
                    run.state().stream().map(t -> t.info().name()).toList());
            for (int i = 0; i < kept.size(); i++) {
                assertArrayEquals(kept.get(i).doubles(), run.state().get(i).doubles(),
                        0.0, kept.get(i).info().name());
            }
        }
    }

    @Test
    void namesTheMomentumBufferAsPyTorchDoes() {
        try (OptimizerRun run = run(Map.of("momentum", 0.9, "weight-decay", 0.1), "w", 2)) {
            assertEquals(List.of("sgd.momentum.w", "sgd.momentum_wd.w", "sgd.step.w"),
                    run.state().stream().map(t -> t.info().name()).toList());
        }
        try (OptimizerRun run = run(Map.of(), "w", 2)) {
            assertEquals(List.of("sgd.step.w"), run.state().stream().map(t -> t.info().name()).toList());
        }
    }

    @Test
    void rejectsNesterovWithoutMomentumOrWithDampeningSayingWhatToDo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> sgd.create(config(Map.of("nesterov", true)), List.of()));
        assertTrue(e.getMessage().contains("optimizer.sgd") && e.getMessage().contains("nesterov")
                && e.getMessage().contains("momentum"), e.getMessage());
        assertThrows(ConfigException.class, () -> sgd.create(config(Map.of("nesterov", true, "momentum", 0.9,
                "dampening", 0.1)), List.of()));
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        for (Map.Entry<String, Object> bad : List.of(Map.entry("learning-rate", (Object) 0),
                Map.entry("momentum", (Object) (-0.1)), Map.entry("dampening", (Object) 1.5),
                Map.entry("weight-decay", (Object) (-1e-4)))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> sgd.create(config(Map.of(bad.getKey(), bad.getValue())), List.of()));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }
}
