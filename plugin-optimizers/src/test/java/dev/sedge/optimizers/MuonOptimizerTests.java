package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class MuonOptimizerTests {

    private final MuonOptimizer muon = new MuonOptimizer();
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
        return PluginConfig.of("optimizer.muon", muon.descriptor(), settings);
    }

    private static TensorInfo info(String name, long... shape) {
        return new TensorInfo(name, DType.F32, java.util.Arrays.stream(shape).boxed().toList());
    }

    private MuonRun run(Map<String, ?> settings, TensorInfo... parameters) {
        return (MuonRun) muon.create(config(settings), List.of(parameters));
    }

    @Test
    void passesThePluginContractWithTheReferenceDefaults() {
        PluginConfig defaults = PluginContract.check(muon);
        assertEquals("muon", muon.name());
        assertEquals(0.02, defaults.doubleValue("learning-rate"), 0.0);
        assertEquals(0.95, defaults.doubleValue("momentum"), 0.0);
        assertTrue(defaults.booleanValue("nesterov"));
        assertEquals(5, defaults.intValue("ns-steps"));
        assertEquals(0.0, defaults.doubleValue("weight-decay"), 0.0);
        assertEquals(List.of("*embed*", "*head*"), defaults.listValue("adamw-parameters"));
        assertEquals(3e-4, defaults.doubleValue("adamw-learning-rate"), 0.0);
        assertEquals(0.95, defaults.doubleValue("adamw-beta2"), 0.0);
        assertEquals(1e-10, defaults.doubleValue("adamw-epsilon"), 0.0);
    }

    @Test
    void passesTheOptimizerContractWithAndWithoutWeightDecay() {
        for (Map<String, ?> mode : List.<Map<String, ?>>of(Map.of(),
                Map.of("weight-decay", 0.1, "adamw-weight-decay", 0.1,
                "nesterov", false))) {
            OptimizerContract.check(muon, config(mode), manager);
        }
    }

    @Test
    void routesTwoDimensionalWeightsToMuonAndTheRestToAdamW() {
        try (MuonRun run = run(Map.of(), info("blocks.0.attn.q.weight", 4, 4), info("blocks.0.attn.q.bias", 4),
                info("embed.token.weight", 11, 4), info("head.0.weight", 11, 4), info("layer1.weight", 22, 8))) {
            assertTrue(run.usesMuon("blocks.0.attn.q.weight"));
            assertFalse(run.usesMuon("blocks.0.attn.q.bias"));
            assertFalse(run.usesMuon("embed.token.weight"));
            assertFalse(run.usesMuon("head.0.weight"));
            assertTrue(run.usesMuon("layer1.weight"));
            assertEquals(List.of("muon.momentum.blocks.0.attn.q.weight", "muon.step.blocks.0.attn.q.weight",
                    "muon.m.blocks.0.attn.q.bias", "muon.v.blocks.0.attn.q.bias", "muon.step.blocks.0.attn.q.bias"),
                    run.state().subList(0, 5).stream().map(t -> t.info().name()).toList());
        }
        try (MuonRun run = run(Map.of("adamw-parameters", ""), info("head.0.weight", 11, 4))) {
            assertTrue(run.usesMuon("head.0.weight"), "an empty glob list leaves every 2-D weight to Muon");
        }
    }

    @Test
    void matchesTheReferenceMuonRunInTorchOnWideAndTallMatrices() {
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "weight-decay", 0.1), info("theta", 2, 3))) {
            TorchGolden.check("muon-wide", run, manager, false);
        }
        try (OptimizerRun run = run(Map.of("learning-rate", 0.05, "nesterov", false), info("theta", 3, 2))) {
            TorchGolden.check("muon-tall-plain-momentum", run, manager, true);
        }
    }

    @Test
    void followsTheDoublePrecisionReferenceWithItsDecayPart() {
        int[][] shapes = {{5, 7}, {7, 5}, {6, 6}};
        for (int[] s : shapes) {
            for (boolean nesterov : new boolean[] {true, false}) {
                Reference reference = new ReferenceMuon(ReferenceCheck.initialTheta(s[0], s[1]), s[0], s[1], 0.02,
                        0.95, nesterov, 5, 0.5);
                try (OptimizerRun run = run(Map.of("weight-decay", 0.5, "nesterov", nesterov), info("w", s[0], s[1]))) {
                    double largestDecay = ReferenceCheck.follow(manager, run, "w", reference, s[0], s[1], 6);
                    assertTrue(largestDecay > 1e-3, "decay part " + largestDecay);
                }
            }
        }
    }

    @Test
    void theAdamWHalfFollowsTheAdamWReferenceWithItsOwnSettings() {
        Reference reference = new ReferenceAdamW(ReferenceCheck.initialTheta(5, 7), 1e-2, 0.9, 0.95, 1e-10, 0.3);
        try (OptimizerRun run = run(Map.of("adamw-learning-rate", 1e-2, "adamw-weight-decay", 0.3),
                info("embed.token.weight", 5, 7))) {
            ReferenceCheck.follow(manager, run, "embed.token.weight", reference, 5, 7, 6);
        }
    }

    @Test
    void newtonSchulzBringsEverySingularValueNearOne() {
        // a badly conditioned 4 x 6 matrix: singular values spread over four decades
        double[][] g = new double[4][6];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                g[i][j] = Math.pow(10, -i) * Math.cos(0.9 * i + 1.7 * j + 0.3 * i * j);
            }
        }
        double[][] o = ReferenceMuon.orthogonalise(g, 5);
        NDArray djl = NewtonSchulz.orthogonalise(manager.create(ReferenceCheck.toFloats(flat(g)), new Shape(4, 6)), 5);
        ReferenceCheck.assertClose(flat(o), djl.toFloatArray(), "orthogonalised");
        // O Oᵀ has eigenvalues (singular values squared) inside the band the quintic targets
        double[] s2 = djl.matMul(djl.transpose()).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                .toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertTrue(s2[i * 4 + i] > 0.3 * 0.3 && s2[i * 4 + i] < 1.3 * 1.3, "diagonal " + s2[i * 4 + i]);
        }
    }

    private static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Test
    void aRunRestoredFromAnotherRunsStateContinuesBitIdentically() {
        ResumeCheck check = new ResumeCheck(muon, config(Map.of("weight-decay", 0.1, "adamw-weight-decay", 0.1)),
                manager);
        check.restoredRunContinuesBitIdentically();
        check.freshStateIsZerosAtStepZero();
        check.refusesBrokenStates();
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        for (Map.Entry<String, Object> bad : List.of(Map.entry("learning-rate", (Object) 0),
                Map.entry("momentum", (Object) 1.0), Map.entry("ns-steps", (Object) 0),
                Map.entry("adamw-learning-rate", (Object) 0), Map.entry("adamw-beta1", (Object) 1.0))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> muon.create(config(Map.of(bad.getKey(), bad.getValue())), List.of()));
            assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains("optimizer.muon"),
                    e.getMessage());
        }
    }
}
