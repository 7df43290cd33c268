package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.testkit.ArchitectureContract;
import dev.sedge.testkit.PluginContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CausalTransformerTests {

    /** Absolute tolerance on logits and losses of order 1 against PyTorch's float32 encoder layer. */
    private static final double TOLERANCE = 1e-5;
    /** The shapes of causal_transformer_forward.py. */
    private static final int VOCAB = 5;
    private static final int SEQ = 4;
    private static final int BATCH = 3;
    private static final Map<String, Object> SMALL = Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16);

    private final Architecture causal = new CausalTransformerArchitecture();
    private NDManager model;

    @BeforeEach
    void openManager() {
        model = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        model.close();
    }

    private PluginConfig config(Map<String, ?> settings) {
        return PluginConfig.of("architecture.causal-transformer", causal.descriptor(), settings);
    }

    private static TaskShape aligned(List<Integer> heads) {
        return new TaskShape(VOCAB, SEQ, heads, Optional.of(new TargetSpec.Aligned(SEQ, 0)));
    }

    private ModelSpec initialised(Map<String, ?> settings, List<Integer> heads) {
        ModelSpec spec = causal.create(config(settings), aligned(heads));
        Engine.getInstance().setRandomSeed(5);
        spec.block().initialize(model, DataType.FLOAT32, new Shape(BATCH, SEQ));
        return spec;
    }

    /** The tokens of the script: row i, position j is (2i + 3j + 1) mod VOCAB. */
    private static int[] tokens() {
        int[] tokens = new int[BATCH * SEQ];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < SEQ; j++) {
                tokens[i * SEQ + j] = (2 * i + 3 * j + 1) % VOCAB;
            }
        }
        return tokens;
    }

    /** The targets of the script: (i + 2j) mod classes, the last i positions of row i IGNORE. */
    private static int[] targets(int classes) {
        int[] targets = new int[BATCH * SEQ];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < SEQ; j++) {
                targets[i * SEQ + j] = j < SEQ - i ? (i + 2 * j) % classes : -1;
            }
        }
        return targets;
    }

    /** Sets parameter k (in declaration order) to w[i] = 0.4 sin(0.37 i + 1.1 k + 0.2), as the script does. */
    private static void setGoldenWeights(Block block) {
        int k = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (0.4 * Math.sin(0.37 * i + 1.1 * k + 0.2));
            }
            array.set(FloatBuffer.wrap(values));
            k++;
        }
    }

    /** Case id → "logits h" or "loss" → values, from golden/causal-transformer-forward.txt. */
    private static Map<String, Map<String, float[]>> golden() throws IOException {
        Map<String, Map<String, float[]>> cases = new LinkedHashMap<>();
        try (InputStream in = CausalTransformerTests.class.getResourceAsStream(
                "/golden/causal-transformer-forward.txt")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split(" ");
                int first = f[1].equals("logits") ? 3 : 2;
                float[] values = new float[f.length - first];
                for (int i = first; i < f.length; i++) {
                    values[i - first] = Float.parseFloat(f[i]);
                }
                String key = f[1].equals("logits") ? "logits " + f[2] : "loss";
                cases.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(key, values);
            }
        }
        return cases;
    }

    @Test
    void passesThePluginContractWithThePapersDefaults() {
        PluginConfig defaults = PluginContract.check(causal);
        assertEquals("causal-transformer", causal.name());
        assertEquals(2, defaults.intValue("layers"));
        assertEquals(128, defaults.intValue("d-model"));
        assertEquals(4, defaults.intValue("heads"));
        assertEquals(256, defaults.intValue("ff"));
        assertEquals(1.0, defaults.doubleValue("init-scale"));
        assertEquals(List.of("layers", "d-model", "heads", "ff", "init-scale"),
                causal.descriptor().keys().stream().map(k -> k.name()).toList());
    }

    @Test
    void passesTheArchitectureContractForOneAndTwoHeads() {
        for (List<Integer> heads : List.of(List.of(4), List.of(4, 3))) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ArchitectureContract.check(causal, config(SMALL), aligned(heads), manager);
            }
        }
    }

    @Test
    void matchesPyTorchsCausalPreLnEncoderLayersAndIgnoringCrossEntropy() throws IOException {
        Map<String, Map<String, float[]>> golden = golden();
        record Case(String id, Map<String, Object> settings, List<Integer> heads) {
        }
        List<Case> cases = List.of(
                new Case("two-layers", SMALL, List.of(4)),
                new Case("one-layer-two-outputs", Map.of("layers", 1, "d-model", 8, "heads", 4, "ff", 12),
                        List.of(4, 3)));
        for (Case c : cases) {
            ModelSpec spec = initialised(c.settings, c.heads);
            setGoldenWeights(spec.block());
            try (NDManager scope = model.newSubManager()) {
                NDList out = spec.block().forward(new ParameterStore(model, false),
                        new NDList(scope.create(tokens(), new Shape(BATCH, SEQ))), false);
                assertEquals(c.heads.size(), out.size());
                NDList labels = new NDList();
                for (int h = 0; h < c.heads.size(); h++) {
                    assertEquals(new Shape(BATCH, SEQ, c.heads.get(h)), out.get(h).getShape());
                    float[] expected = golden.get(c.id).get("logits " + h);
                    float[] found = out.get(h).toFloatArray();
                    assertEquals(expected.length, found.length);
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], found[i], TOLERANCE, c.id + " head " + h + " [" + i + "]");
                    }
                    labels.add(scope.create(targets(c.heads.get(h)), new Shape(BATCH, SEQ)));
                }
                assertEquals(golden.get(c.id).get("loss")[0], spec.loss().evaluate(labels, out).getFloat(), TOLERANCE,
                        c.id + " loss");
            }
        }
    }

    @Test
    void changingTokenTChangesNoOutputBeforeT() {
        ModelSpec spec = initialised(SMALL, List.of(4));
        ParameterStore store = new ParameterStore(model, false);
        for (int t = 0; t < SEQ; t++) {
            try (NDManager scope = model.newSubManager()) {
                int[] changed = tokens();
                for (int i = 0; i < BATCH; i++) {
                    changed[i * SEQ + t] = (changed[i * SEQ + t] + 1) % VOCAB;
                }
                float[] before = spec.block().forward(store, new NDList(scope.create(tokens(), new Shape(BATCH, SEQ))),
                        false).singletonOrThrow().toFloatArray();
                float[] after = spec.block().forward(store, new NDList(scope.create(changed, new Shape(BATCH, SEQ))),
                        false).singletonOrThrow().toFloatArray();
                int perPosition = 4;
                for (int i = 0; i < BATCH; i++) {
                    for (int p = 0; p < SEQ; p++) {
                        int from = (i * SEQ + p) * perPosition;
                        float[] a = java.util.Arrays.copyOfRange(before, from, from + perPosition);
                        float[] b = java.util.Arrays.copyOfRange(after, from, from + perPosition);
                        if (p < t) {
                            assertArrayEquals(a, b, "token " + t + " changed row " + i + " position " + p);
                        } else if (p == t) {
                            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b),
                                    "token " + t + " left its own position unchanged, row " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void ignoredPositionsAddNothingToTheLossOrItsGradient() {
        TokenLoss loss = new TokenLoss();
        int classes = 3;
        float[] values = new float[BATCH * SEQ * classes];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(0.7 * i);
        }
        int[] targets = targets(classes);
        try (NDManager scope = model.newSubManager()) {
            NDArray predictions = scope.create(values, new Shape(BATCH, SEQ, classes));
            predictions.setRequiresGradient(true);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.evaluate(new NDList(scope.create(targets, new Shape(BATCH, SEQ))),
                        new NDList(predictions));
                collector.backward(l);
                value = l.getFloat();
            }
            // the mean over the scored positions, by hand in double precision
            double sum = 0;
            int scored = 0;
            for (int r = 0; r < BATCH * SEQ; r++) {
                if (targets[r] < 0) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, values[r * classes + c]);
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    z += Math.exp(values[r * classes + c] - max);
                }
                sum += -(values[r * classes + targets[r]] - max - Math.log(z));
                scored++;
            }
            assertEquals(sum / scored, value, 1e-6);
            float[] gradient = predictions.getGradient().toFloatArray();
            for (int r = 0; r < BATCH * SEQ; r++) {
                for (int c = 0; c < classes; c++) {
                    if (targets[r] < 0) {
                        assertEquals(0f, gradient[r * classes + c], "gradient at ignored position " + r);
                    } else {
                        assertTrue(gradient[r * classes + c] != 0f, "no gradient at scored position " + r);
                    }
                }
            }
        }
    }

    @Test
    void probesTheResidualAndTheLogitsAtEveryPositionFlattenedPerExample() {
        List<Integer> heads = List.of(4, 3);
        ModelSpec spec = initialised(SMALL, heads);
        assertEquals(List.of("residual", "logits"), spec.probePoints());
        try (NDManager scope = model.newSubManager()) {
            NDList x = new NDList(scope.create(tokens(), new Shape(BATCH, SEQ)));
            ParameterStore store = new ParameterStore(model, false);
            assertEquals(new Shape(BATCH, SEQ * 8), spec.probe(store, x, "residual").getShape());
            NDArray logits = spec.probe(store, x, "logits");
            assertEquals(new Shape(BATCH, SEQ * 7), logits.getShape());
            float[] expected = NDArrays.concat(spec.block().forward(store, x, false), 2).toFloatArray();
            assertArrayEquals(expected, logits.toFloatArray());
        }
    }

    @Test
    void refusesALabelTaskAndASeq2seqTask() {
        ConfigException label = assertThrows(ConfigException.class,
                () -> causal.create(config(SMALL), new TaskShape(VOCAB, SEQ, List.of(4))));
        assertTrue(label.getMessage().contains("one label per input") && label.getMessage().contains("transformer"),
                label.getMessage());
        ConfigException seq2seq = assertThrows(ConfigException.class, () -> causal.create(config(SMALL),
                new TaskShape(VOCAB, SEQ, List.of(6), Optional.of(new TargetSpec.Decoded(5, 0, 4, 5)))));
        assertTrue(seq2seq.getMessage().contains("encoder-decoder"), seq2seq.getMessage());
    }

    @Test
    void transformerAndMlp2RefuseATaskWithTargetsPerPosition() {
        for (Architecture other : List.of(new TransformerArchitecture(), new Mlp2Architecture())) {
            PluginConfig defaults = PluginConfig.of("architecture." + other.name(), other.descriptor(), Map.of());
            ConfigException e = assertThrows(ConfigException.class, () -> other.create(defaults, aligned(List.of(4))));
            assertTrue(e.getMessage().contains("architecture." + other.name())
                    && e.getMessage().contains("causal-transformer"), e.getMessage());
        }
    }

    @Test
    void countsItsParametersByTheFormula() {
        ModelSpec spec = initialised(SMALL, List.of(4, 3));
        long count = 0;
        for (Pair<String, Parameter> p : spec.block().getParameters()) {
            count += p.getValue().getArray().size();
        }
        TransformerConfig parsed = new TransformerConfig(2, 8, 2, 16, false, LossKind.CROSS_ENTROPY, 1);
        assertEquals(CausalTransformerArchitecture.parameterCount(parsed, aligned(List.of(4, 3))), count);
    }
}
