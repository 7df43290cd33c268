package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

    /**
     * A state saved with weight decay restored into a run without (a fork that switches decay off): the decay's
     * share of the first moment joins the gradient's, so m = m_grad + m_wd, PyTorch's m, carries over whole; and
     * the other way (decay switched on) m_wd starts at zeros, which is what a run without decay accumulated.
     */
    @Test
    void aStateSavedWithAnotherWeightDecayCarriesItsWholeMomentOver() {
        List<Tensor> decayed = check(0.1).stateAfterTwoSteps();
        Map<String, float[]> saved = new java.util.HashMap<>();
        decayed.forEach(t -> saved.put(t.info().name(), t.floats()));
        float[] share = saved.get("adam.m_wd.layer.weight");
        assertTrue(java.util.stream.IntStream.range(0, share.length).anyMatch(i -> share[i] != 0),
                "two steps with decay leave a decay share in the moment");
        PluginConfig plain = PluginConfig.of("optimizer.adam", adam.descriptor(), Map.of("weight-decay", 0.0));
        try (OptimizerRun run = adam.create(plain, ResumeCheck.LAYOUT)) {
            run.restore(decayed);
            Map<String, float[]> now = new java.util.HashMap<>();
            run.state().forEach(t -> now.put(t.info().name(), t.floats()));
            assertEquals(saved.keySet().stream().filter(n -> !n.contains(".m_wd.")).collect(Collectors.toSet()),
                    now.keySet());
            for (String parameter : List.of("layer.weight", "layer.bias")) {
                float[] grad = saved.get("adam.m_grad." + parameter);
                float[] wd = saved.get("adam.m_wd." + parameter);
                float[] m = now.get("adam.m_grad." + parameter);
                for (int i = 0; i < m.length; i++) {
                    assertEquals(grad[i] + wd[i], m[i], 0f, parameter + "[" + i + "]");
                }
                assertArrayEquals(saved.get("adam.v." + parameter), now.get("adam.v." + parameter), 0f);
            }
        }

        List<Tensor> undecayed = check(0).stateAfterTwoSteps();
        PluginConfig withDecay = PluginConfig.of("optimizer.adam", adam.descriptor(), Map.of("weight-decay", 0.1));
        try (OptimizerRun run = adam.create(withDecay, ResumeCheck.LAYOUT)) {
            run.restore(undecayed);
            for (Tensor t : run.state()) {
                if (t.info().name().contains(".m_wd.")) {
                    assertArrayEquals(new float[t.floats().length], t.floats(), 0f, t.info().name());
                } else {
                    assertArrayEquals(undecayed.stream().filter(u -> u.info().name().equals(t.info().name()))
                            .findFirst().orElseThrow().floats(), t.floats(), 0f, t.info().name());
                }
            }
        }
    }
}
