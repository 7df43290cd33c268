package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamStateTests {

    private final AdamOptimizer adam = new AdamOptimizer();
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private ResumeCheck check(double weightDecay) {
        PluginConfig config = PluginConfig.of("optimizer.adam", adam.descriptor(),
                Map.of("learning-rate", 1e-2, "weight-decay", weightDecay));
        return new ResumeCheck(adam, config, manager);
    }

    @Test
    void aRunRestoredFromAnotherRunsStateContinuesBitIdentically() {
        check(0.1).restoredRunContinuesBitIdentically();
        check(0).restoredRunContinuesBitIdentically();
    }

    @Test
    void aFreshRunsStateIsZerosAtStepZero() {
        check(0.1).freshStateIsZerosAtStepZero();
    }

    @Test
    void restoreRefusesMissingExtraMisshapenAndNonIntegerTensorsNamingThem() {
        check(0.1).refusesBrokenStates();
    }

    @Test
    void namesTheMomentsPerParameterAndKeepsMwdOnlyWithWeightDecay() {
        for (double wd : new double[] {0.1, 0}) {
            PluginConfig config = PluginConfig.of("optimizer.adam", adam.descriptor(), Map.of("weight-decay", wd));
            try (OptimizerRun run = adam.create(config, ResumeCheck.LAYOUT.subList(0, 1))) {
                List<String> names = run.state().stream().map(t -> t.info().name()).toList();
                List<String> expected = wd > 0
                        ? List.of("adam.m_grad.layer.weight", "adam.m_wd.layer.weight", "adam.v.layer.weight",
                                "adam.step.layer.weight")
                        : List.of("adam.m_grad.layer.weight", "adam.v.layer.weight", "adam.step.layer.weight");
                assertEquals(expected, names);
                Tensor m = run.state().getFirst();
                assertEquals(List.of(3L, 5L), m.info().shape());
            }
        }
    }

    @Test
    void refusesAStateSavedWithAnotherWeightDecay() {
        List<Tensor> decayed;
        PluginConfig withDecay = PluginConfig.of("optimizer.adam", adam.descriptor(), Map.of("weight-decay", 0.1));
        try (OptimizerRun run = adam.create(withDecay, ResumeCheck.LAYOUT)) {
            decayed = run.state();
        }
        PluginConfig plain = PluginConfig.of("optimizer.adam", adam.descriptor(), Map.of());
        try (OptimizerRun run = adam.create(plain, ResumeCheck.LAYOUT)) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> run.restore(decayed));
            assertTrue(e.getMessage().contains("adam.m_wd.layer.weight")
                    && e.getMessage().contains("weight decay"), e.getMessage());
        }
    }
}
