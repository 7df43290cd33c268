package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.GreedyDecoding;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.NameGlob;
import dev.sedge.api.model.ParameterGroup;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EncoderDecoderTests {

    /** Absolute tolerance on logits and losses of order 1 against PyTorch's float32 nn.Transformer. */
    private static final double TOLERANCE = 1e-5;
    /** The shapes and inputs of encoder_decoder_forward.py. */
    private static final int VOCAB = 6;
    private static final int SEQ = 5;
    private static final int CLASSES = 5;
    private static final int BOS = 3;
    private static final int EOS = 4;
    private static final int TARGET = 4;
    private static final int BATCH = 3;
    private static final int[] TOKENS = {1, 2, 3, 0, 0, 5, 4, 3, 2, 1, 2, 0, 0, 0, 0};
    private static final int[] TARGETS = {0, 2, EOS, -1, 1, 1, 0, EOS, EOS, -1, -1, -1};
    private static final TargetSpec.Decoded SPEC = new TargetSpec.Decoded(TARGET, 0, BOS, EOS);
    private static final TaskShape SHAPE = new TaskShape(VOCAB, SEQ, List.of(CLASSES), Optional.of(SPEC));
    private static final Map<String, Object> SMALL = Map.of("encoder-layers", 2, "decoder-layers", 2, "d-model", 16,
            "heads", 2, "ff", 24);

    private final EncoderDecoderArchitecture architecture = new EncoderDecoderArchitecture();
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
        return PluginConfig.of("architecture.encoder-decoder", architecture.descriptor(), settings);
    }

    private ModelSpec initialised(Map<String, ?> settings) {
        ModelSpec spec = architecture.create(config(settings), SHAPE);
        Engine.getInstance().setRandomSeed(5);
        spec.block().initialize(model, DataType.FLOAT32, new Shape(BATCH, SEQ));
        return spec;
    }

    private static NDList inputs(NDManager scope, int[] tokens, int[] decoderInputs) {
        return new NDList(scope.create(tokens, new Shape(BATCH, SEQ)),
                scope.create(decoderInputs, new Shape(BATCH, decoderInputs.length / BATCH)));
    }

    /** Sets the parameters as encoder_decoder_forward.py does for {@code kind} ("sin" or "lcg"). */
    private static void setGoldenWeights(Block block, String kind) {
        int k = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String name = p.getKey();
            NDArray array = p.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            boolean gain = name.equals("ln_f.weight") || name.equals("ln_enc.weight")
                    || name.contains(".ln") && name.endsWith(".weight");
            long x = k * 1000003L + 1;
            double scale = name.startsWith("embed.") ? 3 : 0.5;
            for (int i = 0; i < values.length; i++) {
                if (kind.equals("sin")) {
                    values[i] = (float) (0.4 * Math.sin(0.37 * i + 1.1 * k + 0.2));
                } else if (gain) {
                    values[i] = 1f;
                } else if (!name.endsWith(".bias")) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    values[i] = (float) (scale * ((x >>> 40) / (double) (1 << 23) - 1.0));
                }
            }
            array.set(FloatBuffer.wrap(values));
            k++;
        }
    }

    /** Case id → "logits", "loss", "greedy" or "margin" → values, from golden/encoder-decoder-forward.txt. */
    private static Map<String, Map<String, float[]>> golden() throws IOException {
        Map<String, Map<String, float[]>> cases = new LinkedHashMap<>();
        try (InputStream in = EncoderDecoderTests.class.getResourceAsStream("/golden/encoder-decoder-forward.txt")) {
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
                cases.computeIfAbsent(f[0], c -> new LinkedHashMap<>()).put(f[1], values);
            }
        }
        return cases;
    }

    private record Case(String id, Map<String, Object> settings, String weights) {
    }

    private static final List<Case> CASES = List.of(
            new Case("two-by-two", SMALL, "sin"),
            new Case("one-by-two-four-heads", Map.of("encoder-layers", 1, "decoder-layers", 2, "d-model", 8,
                    "heads", 4, "ff", 12), "sin"),
            new Case("two-by-two-lcg", SMALL, "lcg"));

    @Test
    void passesThePluginContractWithThePapersDefaults() {
        PluginConfig defaults = PluginContract.check(architecture);
        assertEquals("encoder-decoder", architecture.name());
        assertEquals(List.of("encoder-layers", "decoder-layers", "d-model", "heads", "ff", "init-scale"),
                architecture.descriptor().keys().stream().map(k -> k.name()).toList());
        assertEquals(1.0, defaults.doubleValue("init-scale"));
        assertEquals(3, defaults.intValue("encoder-layers"));
        assertEquals(3, defaults.intValue("decoder-layers"));
        assertEquals(256, defaults.intValue("d-model"));
        assertEquals(4, defaults.intValue("heads"));
        assertEquals(512, defaults.intValue("ff"));
    }

    @Test
    void passesTheArchitectureContract() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArchitectureContract.check(architecture, config(SMALL), SHAPE, manager);
        }
    }

    @Test
    void matchesPyTorchsPreLnTransformerUnderTeacherForcing() throws IOException {
        Map<String, Map<String, float[]>> golden = golden();
        int[] forced = SPEC.teacherForced(TARGETS);
        assertArrayEquals(new int[] {BOS, 0, 2, EOS, BOS, 1, 1, 0, BOS, EOS, EOS, EOS}, forced);
        double worst = 0;
        for (Case c : CASES) {
            ModelSpec spec = initialised(c.settings);
            setGoldenWeights(spec.block(), c.weights);
            try (NDManager scope = model.newSubManager()) {
                NDList out = spec.block().forward(new ParameterStore(model, false), inputs(scope, TOKENS, forced),
                        false);
                NDArray logits = out.singletonOrThrow();
                assertEquals(new Shape(BATCH, TARGET, CLASSES), logits.getShape());
                float[] expected = golden.get(c.id).get("logits");
                float[] found = logits.toFloatArray();
                assertEquals(expected.length, found.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], found[i], TOLERANCE, c.id + " [" + i + "]");
                    worst = Math.max(worst, Math.abs(expected[i] - found[i]));
                }
                NDList labels = new NDList(scope.create(TARGETS, new Shape(BATCH, TARGET)));
                assertEquals(golden.get(c.id).get("loss")[0], spec.loss().evaluate(labels, out).getFloat(), TOLERANCE,
                        c.id + " loss");
            }
        }
        System.out.println("encoder-decoder: largest |logit - PyTorch| " + worst);
    }

    @Test
    void decodesGreedilyAsPyTorchDoes() throws IOException {
        Map<String, Map<String, float[]>> golden = golden();
        for (Case c : CASES) {
            assertTrue(golden.get(c.id).get("margin")[0] > 100 * TOLERANCE, c.id + ": argmax too close to a tie");
            ModelSpec spec = initialised(c.settings);
            setGoldenWeights(spec.block(), c.weights);
            int[] decoded = GreedyDecoding.decode(spec.block(), new ParameterStore(model, false), model, TOKENS, SEQ,
                    SPEC);
            float[] steps = golden.get(c.id).get("greedy");
            // PyTorch's decoding never stops; ours stops a row at its first eos and pads it with IGNORE
            for (int row = 0; row < BATCH; row++) {
                boolean ended = false;
                for (int t = 0; t < TARGET; t++) {
                    int expected = ended ? -1 : (int) steps[row * TARGET + t];
                    assertEquals(expected, decoded[row * TARGET + t], c.id + " row " + row + " step " + t);
                    ended |= expected == EOS;
                }
            }
        }
    }

    @Test
    void greedyOutputIsTheArgmaxOfTeacherForcingOnItself() {
        ModelSpec spec = initialised(SMALL);
        setGoldenWeights(spec.block(), "lcg");
        ParameterStore store = new ParameterStore(model, false);
        int[] decoded = GreedyDecoding.decode(spec.block(), store, model, TOKENS, SEQ, SPEC);
        try (NDManager scope = model.newSubManager()) {
            long[] argmax = spec.block().forward(store,
                    inputs(scope, TOKENS, SPEC.teacherForced(decoded)), false)
                    .singletonOrThrow().argMax(2).toLongArray();
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] >= 0) {
                    assertEquals(decoded[i], argmax[i], "position " + i);
                }
            }
        }
        assertEquals(0, model.newSubManager().getManagedArrays().size());
    }

    @Test
    void decoderPositionTDependsOnDecoderInputsUpToTAlone() {
        ModelSpec spec = initialised(SMALL);
        ParameterStore store = new ParameterStore(model, false);
        int[] forced = SPEC.teacherForced(TARGETS);
        for (int t = 0; t < TARGET; t++) {
            try (NDManager scope = model.newSubManager()) {
                int[] changed = forced.clone();
                for (int i = 0; i < BATCH; i++) {
                    changed[i * TARGET + t] = (changed[i * TARGET + t] + 1) % CLASSES;
                }
                float[] before = spec.block().forward(store, inputs(scope, TOKENS, forced), false).singletonOrThrow()
                        .toFloatArray();
                float[] after = spec.block().forward(store, inputs(scope, TOKENS, changed), false).singletonOrThrow()
                        .toFloatArray();
                for (int i = 0; i < BATCH; i++) {
                    for (int p = 0; p < TARGET; p++) {
                        int from = (i * TARGET + p) * CLASSES;
                        float[] a = Arrays.copyOfRange(before, from, from + CLASSES);
                        float[] b = Arrays.copyOfRange(after, from, from + CLASSES);
                        if (p < t) {
                            assertArrayEquals(a, b, "decoder input " + t + " changed row " + i + " position " + p);
                        } else if (p == t) {
                            assertNotEquals(Arrays.toString(a), Arrays.toString(b), "row " + i + " position " + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theInputPaddingReachesNoOutput() {
        ModelSpec spec = initialised(SMALL);
        ParameterStore store = new ParameterStore(model, false);
        int[] forced = SPEC.teacherForced(TARGETS);
        try (NDManager scope = model.newSubManager()) {
            float[] before = spec.block().forward(store, inputs(scope, TOKENS, forced), false).singletonOrThrow()
                    .toFloatArray();
            // the padding token's embedding only enters padded positions, which no attention reads
            NDArray token = spec.block().getParameters().get("embed.token.weight").getArray();
            float[] rows = token.toFloatArray();
            for (int j = 0; j < 16; j++) {
                rows[j] += 5f;
            }
            token.set(FloatBuffer.wrap(rows));
            float[] after = spec.block().forward(store, inputs(scope, TOKENS, forced), false).singletonOrThrow()
                    .toFloatArray();
            assertArrayEquals(before, after);
            rows[16] += 5f; // token 1, a real token, does change them
            token.set(FloatBuffer.wrap(rows));
            float[] changed = spec.block().forward(store, inputs(scope, TOKENS, forced), false).singletonOrThrow()
                    .toFloatArray();
            assertNotEquals(Arrays.toString(before), Arrays.toString(changed));
        }
    }

    @Test
    void theLossIsFiniteAndItsGradientReachesEveryParameter() {
        ModelSpec spec = initialised(SMALL);
        ParameterStore store = new ParameterStore(model, false);
        try (NDManager scope = model.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = spec.block().forward(store,
                        inputs(scope, TOKENS, SPEC.teacherForced(TARGETS)), true);
                NDArray loss = spec.loss().evaluate(new NDList(scope.create(TARGETS, new Shape(BATCH, TARGET))), out);
                assertTrue(Float.isFinite(loss.getFloat()));
                collector.backward(loss);
            }
            for (Pair<String, Parameter> p : spec.block().getParameters()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                scope.attachAll(gradient);
                float[] values = gradient.toFloatArray();
                boolean any = false;
                for (float v : values) {
                    assertTrue(Float.isFinite(v), p.getKey());
                    any |= v != 0f;
                }
                assertTrue(any, "no gradient reaches " + p.getKey());
            }
        }
    }

    @Test
    void everyGroupMatchesAParameterAndTheFirstIsTheAttentionWeights() {
        ModelSpec spec = initialised(SMALL);
        List<String> names = spec.block().getParameters().keys();
        for (ParameterGroup group : spec.groups()) {
            NameGlob glob = new NameGlob(group.glob());
            assertTrue(names.stream().anyMatch(glob::matches), group.name());
        }
        NameGlob attn = new NameGlob(spec.groups().getFirst().glob());
        assertEquals("attn", spec.groups().getFirst().name());
        // 2 encoder layers x 4, 2 decoder layers x 8 (self and cross)
        assertEquals(24, names.stream().filter(attn::matches).count());
        assertTrue(names.stream().filter(attn::matches).allMatch(n -> n.endsWith(".weight")));
    }

    @Test
    void probesTheDecoderResidualAndTheLogitsPerPosition() {
        ModelSpec spec = initialised(SMALL);
        assertEquals(List.of("residual", "logits"), spec.probePoints());
        try (NDManager scope = model.newSubManager()) {
            NDList x = inputs(scope, TOKENS, SPEC.teacherForced(TARGETS));
            ParameterStore store = new ParameterStore(model, false);
            assertEquals(new Shape(BATCH, TARGET * 16), spec.probe(store, x, "residual").getShape());
            NDArray logits = spec.probe(store, x, "logits");
            assertEquals(new Shape(BATCH, TARGET * CLASSES), logits.getShape());
            assertArrayEquals(spec.block().forward(store, x, false).singletonOrThrow().toFloatArray(),
                    logits.toFloatArray());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> spec.probe(store, x, "hidden"));
            assertTrue(unknown.getMessage().contains("residual, logits"), unknown.getMessage());
        }
    }

    @Test
    void refusesTokensWithoutDecoderInputs() {
        ModelSpec spec = initialised(SMALL);
        try (NDManager scope = model.newSubManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.block().forward(
                    new ParameterStore(model, false), new NDList(scope.create(TOKENS, new Shape(BATCH, SEQ))), false));
            assertTrue(e.getMessage().contains("decoder inputs"), e.getMessage());
        }
    }

    @Test
    void refusesALabelTaskAnAlignedTaskAndSeveralHeads() {
        ConfigException label = assertThrows(ConfigException.class,
                () -> architecture.create(config(SMALL), new TaskShape(VOCAB, SEQ, List.of(4))));
        assertTrue(label.getMessage().contains("one label per input") && label.getMessage().contains("transformer"),
                label.getMessage());
        ConfigException aligned = assertThrows(ConfigException.class, () -> architecture.create(config(SMALL),
                new TaskShape(VOCAB, SEQ, List.of(4), Optional.of(new TargetSpec.Aligned(SEQ, 0)))));
        assertTrue(aligned.getMessage().contains("causal-transformer"), aligned.getMessage());
        ConfigException heads = assertThrows(ConfigException.class, () -> architecture.create(config(SMALL),
                new TaskShape(VOCAB, SEQ, List.of(CLASSES, CLASSES), Optional.of(SPEC))));
        assertTrue(heads.getMessage().contains("2 heads"), heads.getMessage());
        ConfigException width = assertThrows(ConfigException.class, () -> architecture.create(
                config(Map.of("d-model", 10, "heads", 4)), SHAPE));
        assertTrue(width.getMessage().contains("architecture.encoder-decoder"), width.getMessage());
    }

    @Test
    void theOtherArchitecturesNameTheEncoderDecoderForASeq2seqTask() {
        for (var other : List.of(new TransformerArchitecture(), new Mlp2Architecture(),
                new CausalTransformerArchitecture())) {
            PluginConfig defaults = PluginConfig.of("architecture." + other.name(), other.descriptor(), Map.of());
            ConfigException e = assertThrows(ConfigException.class, () -> other.create(defaults, SHAPE));
            assertTrue(e.getMessage().contains("architecture.name = encoder-decoder"), e.getMessage());
        }
    }

    @Test
    void countsItsParametersByTheFormula() {
        ModelSpec spec = initialised(SMALL);
        long count = 0;
        for (Pair<String, Parameter> p : spec.block().getParameters()) {
            count += p.getValue().getArray().size();
        }
        assertEquals(EncoderDecoderArchitecture.parameterCount(new EncoderDecoderConfig(2, 2, 16, 2, 24, 1), SHAPE),
                count);
    }
}
