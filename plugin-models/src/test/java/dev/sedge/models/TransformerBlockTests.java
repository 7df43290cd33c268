package dev.sedge.models;

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
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.TaskShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransformerBlockTests {

    /** Absolute tolerance on logits of order 1 against PyTorch's float32 encoder layer. */
    private static final double TOLERANCE = 1e-5;
    /** Absolute tolerance between two float32 routes to the same logits of order 1 within sedge. */
    private static final double PROBE_TOLERANCE = 1e-6;
    private static final int VOCAB = 7;
    private static final int SEQ = 3;
    private static final int BATCH = 4;

    private NDManager model;

    @BeforeEach
    void openManager() {
        model = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        model.close();
    }

    private Block initialised(Map<String, ?> settings, List<Integer> heads) {
        return initialisedSpec(settings, heads).block();
    }

    private ModelSpec initialisedSpec(Map<String, ?> settings, List<Integer> heads) {
        TransformerArchitecture transformer = new TransformerArchitecture();
        ModelSpec spec = transformer.create(PluginConfig.of("architecture.transformer", transformer.descriptor(),
                settings), new TaskShape(VOCAB, SEQ, heads));
        Engine.getInstance().setRandomSeed(5);
        spec.block().initialize(model, DataType.FLOAT32, new Shape(BATCH, SEQ));
        return spec;
    }

    private static int[] tokens() {
        int[] tokens = new int[BATCH * SEQ];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < SEQ; j++) {
                tokens[i * SEQ + j] = (5 * i + 3 * j + 1) % VOCAB;
            }
        }
        return tokens;
    }

    /** Case id → head → logits, from golden/transformer-forward.txt (see transformer_forward.py). */
    private static Map<String, Map<Integer, float[]>> golden() throws IOException {
        Map<String, Map<Integer, float[]>> cases = new LinkedHashMap<>();
        try (InputStream in = TransformerBlockTests.class.getResourceAsStream("/golden/transformer-forward.txt")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split(" ");
                float[] values = new float[f.length - 2];
                for (int i = 2; i < f.length; i++) {
                    values[i - 2] = Float.parseFloat(f[i]);
                }
                cases.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[1]), values);
            }
        }
        return cases;
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

    private NDList forward(Block block, NDManager scope) {
        NDArray x = scope.create(tokens(), new Shape(BATCH, SEQ));
        return block.forward(new ParameterStore(model, false), new NDList(x), false);
    }

    @Test
    void matchesPyTorchsOwnPreLnEncoderLayersWithAndWithoutCls() throws IOException {
        Map<String, Map<Integer, float[]>> golden = golden();
        record Case(String id, Map<String, Object> settings, List<Integer> heads) {
        }
        List<Case> cases = List.of(
                new Case("two-layers-two-heads", Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16),
                        List.of(7, 5)),
                new Case("one-layer-cls", Map.of("layers", 1, "d-model", 8, "heads", 4, "ff", 12, "cls", true),
                        List.of(7)));
        for (Case c : cases) {
            Block block = initialised(c.settings, c.heads);
            setGoldenWeights(block);
            try (NDManager scope = model.newSubManager()) {
                NDList out = forward(block, scope);
                assertEquals(c.heads.size(), out.size());
                for (int h = 0; h < c.heads.size(); h++) {
                    float[] expected = golden.get(c.id).get(h);
                    float[] found = out.get(h).toFloatArray();
                    assertEquals(new Shape(BATCH, c.heads.get(h)), out.get(h).getShape());
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], found[i], TOLERANCE, c.id + " head " + h + " [" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void givesOneBatchByClassesOutputForOneAndForThreeHeads() {
        for (List<Integer> heads : List.of(List.of(7), List.of(7, 4, 2))) {
            Block block = initialised(TransformerArchitectureTests.SMALL, heads);
            try (NDManager scope = model.newSubManager()) {
                NDList out = forward(block, scope);
                assertEquals(heads.size(), out.size());
                for (int h = 0; h < heads.size(); h++) {
                    assertEquals(new Shape(BATCH, heads.get(h)), out.get(h).getShape());
                    assertEquals(DataType.FLOAT32, out.get(h).getDataType());
                }
            }
        }
    }

    @Test
    void leavesNoTemporaryOnTheParametersManager() {
        Block block = initialised(Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16, "cls", true), List.of(7, 5));
        int before = model.getManagedArrays().size();
        try (NDManager scope = model.newSubManager()) {
            NDList out = forward(block, scope);
            new HeadsLoss(LossKind.CROSS_ENTROPY).evaluate(new NDList(scope.zeros(new Shape(BATCH), DataType.INT32),
                    scope.zeros(new Shape(BATCH), DataType.INT32)), out);
        }
        assertEquals(before, model.getManagedArrays().size());
    }

    @Test
    void rejectsTokensOfAnotherSequenceLengthOrType() {
        Block block = initialised(TransformerArchitectureTests.SMALL, List.of(7));
        try (NDManager scope = model.newSubManager()) {
            NDArray two = scope.zeros(new Shape(4, 2), DataType.INT32);
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(new ParameterStore(model, false), new NDList(two), false));
            NDArray floats = scope.zeros(new Shape(4, SEQ), DataType.FLOAT32);
            assertThrows(IllegalArgumentException.class,
                    () -> block.forward(new ParameterStore(model, false), new NDList(floats), false));
        }
    }

    @Test
    void declaresTheResidualAsTheDefaultProbePointThenTheLogits() {
        assertEquals(List.of("residual", "logits"), initialisedSpec(TransformerArchitectureTests.SMALL,
                List.of(7)).probePoints());
    }

    @Test
    void logitsProbeEqualsTheTrainingForwardWithHeadsConcatenatedInHeadOrder() {
        for (boolean cls : new boolean[] {false, true}) {
            for (List<Integer> heads : List.of(List.of(7), List.of(7, 4, 2))) {
                Map<String, Object> settings = new LinkedHashMap<>(TransformerArchitectureTests.SMALL);
                settings.put("cls", cls);
                ModelSpec spec = initialisedSpec(settings, heads);
                try (NDManager scope = model.newSubManager()) {
                    NDList x = new NDList(scope.create(tokens(), new Shape(BATCH, SEQ)));
                    ParameterStore store = new ParameterStore(model, false);
                    NDList trained = spec.block().forward(store, x, true);
                    NDArray logits = spec.probe(store, x, "logits");
                    int classes = heads.stream().mapToInt(Integer::intValue).sum();
                    assertEquals(new Shape(BATCH, classes), logits.getShape());
                    assertEquals(DataType.FLOAT32, logits.getDataType());
                    float[] expected = (trained.size() == 1 ? trained.singletonOrThrow()
                            : NDArrays.concat(trained, 1)).toFloatArray();
                    float[] found = logits.toFloatArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], found[i], PROBE_TOLERANCE, "cls " + cls + " heads " + heads
                                + " [" + i + "]");
                    }
                }
            }
        }
    }

    /**
     * LN_f and the readouts applied by hand, in double precision, to the residual probe give the
     * logits probe. The golden weights make LN_f's gain and shift non-trivial, so a residual read
     * after LN_f would fail: LN(g ⊙ LN(x) + b) differs from g ⊙ LN(x) + b.
     */
    @Test
    void residualProbeThroughTheFinalLayerNormAndTheHeadsGivesTheLogits() {
        List<Integer> heads = List.of(7, 5);
        int d = 8;
        ModelSpec spec = initialisedSpec(Map.of("layers", 2, "d-model", d, "heads", 2, "ff", 16, "cls", true), heads);
        Block block = spec.block();
        setGoldenWeights(block);
        try (NDManager scope = model.newSubManager()) {
            NDList x = new NDList(scope.create(tokens(), new Shape(BATCH, SEQ)));
            ParameterStore store = new ParameterStore(model, false);
            NDArray residualArray = spec.probe(store, x, "residual");
            assertEquals(new Shape(BATCH, d), residualArray.getShape());
            float[] residual = residualArray.toFloatArray();
            float[] logits = spec.probe(store, x, "logits").toFloatArray();
            float[] gain = block.getParameters().get("ln_f.weight").getArray().toFloatArray();
            float[] shift = block.getParameters().get("ln_f.bias").getArray().toFloatArray();
            int width = heads.stream().mapToInt(Integer::intValue).sum();
            for (int i = 0; i < BATCH; i++) {
                double mean = 0;
                for (int k = 0; k < d; k++) {
                    mean += residual[i * d + k] / (double) d;
                }
                double variance = 0;
                for (int k = 0; k < d; k++) {
                    variance += Math.pow(residual[i * d + k] - mean, 2) / d;
                }
                double[] z = new double[d];
                for (int k = 0; k < d; k++) {
                    z[k] = (residual[i * d + k] - mean) / Math.sqrt(variance + EncoderLayer.LAYER_NORM_EPSILON)
                            * gain[k] + shift[k];
                }
                int column = 0;
                for (int h = 0; h < heads.size(); h++) {
                    float[] w = block.getParameters().get("head." + h + ".weight").getArray().toFloatArray();
                    float[] b = block.getParameters().get("head." + h + ".bias").getArray().toFloatArray();
                    for (int c = 0; c < heads.get(h); c++) {
                        double y = b[c];
                        for (int k = 0; k < d; k++) {
                            y += w[c * d + k] * z[k];
                        }
                        assertEquals(y, logits[i * width + column], PROBE_TOLERANCE,
                                "example " + i + " head " + h + " class " + c);
                        column++;
                    }
                }
            }
        }
    }

    @Test
    void refusesAnUnknownProbePointListingTheKnownOnes() {
        ModelSpec spec = initialisedSpec(TransformerArchitectureTests.SMALL, List.of(7));
        try (NDManager scope = model.newSubManager()) {
            NDList x = new NDList(scope.create(tokens(), new Shape(BATCH, SEQ)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> spec.probe(new ParameterStore(model, false), x, "hidden"));
            assertTrue(e.getMessage().contains("'hidden'") && e.getMessage().contains("residual, logits"),
                    e.getMessage());
        }
    }
}
