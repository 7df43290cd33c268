package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import dev.sedge.testkit.ArchitectureContract;
import dev.sedge.testkit.PluginContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TransformerArchitectureTests {

    /** A small model for the structural tests: 2 layers, d 8, 2 heads, ff 16. */
    static final Map<String, Object> SMALL = Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16);

    private final Architecture transformer = new TransformerArchitecture();

    private PluginConfig config(Map<String, ?> settings) {
        return PluginConfig.of("architecture.transformer", transformer.descriptor(), settings);
    }

    private ModelSpec create(Map<String, ?> settings, TaskShape shape) {
        return transformer.create(config(settings), shape);
    }

    private static Map<String, Shape> parameterShapes(ModelSpec spec) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : spec.block().getParameters()) {
            shapes.put(p.getKey(), p.getValue().getShape());
        }
        return shapes;
    }

    private static List<String> matching(ModelSpec spec, String group) {
        String glob = spec.groups().stream().filter(g -> g.name().equals(group)).findFirst().orElseThrow().glob();
        Pattern pattern = Pattern.compile(glob.replace(".", "\\.").replace("*", ".*"));
        return parameterShapes(spec).keySet().stream().filter(n -> pattern.matcher(n).matches()).toList();
    }

    @Test
    void passesThePluginContractWithTheProtocolsDefaults() {
        PluginConfig defaults = PluginContract.check(transformer);
        assertEquals("transformer", transformer.name());
        assertEquals(2, defaults.intValue("layers"));
        assertEquals(128, defaults.intValue("d-model"));
        assertEquals(4, defaults.intValue("heads"));
        assertEquals(256, defaults.intValue("ff"));
        assertFalse(defaults.booleanValue("cls"));
        assertEquals("cross-entropy", defaults.stringValue("loss"));
    }

    @Test
    void passesTheArchitectureContractForOneAndThreeHeadsWithAndWithoutCls() {
        for (boolean cls : new boolean[] {false, true}) {
            for (List<Integer> heads : List.of(List.of(11), List.of(11, 11, 11))) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Map<String, Object> settings = new LinkedHashMap<>(SMALL);
                    settings.put("cls", cls);
                    ArchitectureContract.check(transformer, config(settings), new TaskShape(11, 2, heads), manager);
                }
            }
        }
    }

    @Test
    void passesTheArchitectureContractAtTheDefaultSizeForP97() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArchitectureContract.check(transformer, config(Map.of()), new TaskShape(97, 2, List.of(97)), manager);
        }
    }

    @Test
    void isFoundByTheServiceLoaderAndListedInMetaInfServices() throws IOException {
        Module self = TransformerArchitectureTests.class.getModule();
        self.addUses(Architecture.class); // the patched test module has no `uses` of its own
        assertTrue(ServiceLoader.load(Architecture.class).stream()
                .anyMatch(p -> p.type() == TransformerArchitecture.class));
        try (InputStream in = self.getResourceAsStream("META-INF/services/" + Architecture.class.getName())) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .anyMatch(TransformerArchitecture.class.getName()::equals));
        }
    }

    @Test
    void namesItsParametersStablyWithPyTorchLinearShapes() {
        ModelSpec spec = create(Map.of("layers", 1, "d-model", 8, "heads", 2, "ff", 16),
                new TaskShape(11, 2, List.of(11)));
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("embed.token.weight", new Shape(11, 8));
        expected.put("embed.position.weight", new Shape(2, 8));
        expected.put("blocks.0.ln1.weight", new Shape(8));
        expected.put("blocks.0.ln1.bias", new Shape(8));
        for (String p : List.of("q", "k", "v", "o")) {
            expected.put("blocks.0.attn." + p + ".weight", new Shape(8, 8));
            expected.put("blocks.0.attn." + p + ".bias", new Shape(8));
        }
        expected.put("blocks.0.ln2.weight", new Shape(8));
        expected.put("blocks.0.ln2.bias", new Shape(8));
        expected.put("blocks.0.mlp.fc1.weight", new Shape(16, 8));
        expected.put("blocks.0.mlp.fc1.bias", new Shape(16));
        expected.put("blocks.0.mlp.fc2.weight", new Shape(8, 16));
        expected.put("blocks.0.mlp.fc2.bias", new Shape(8));
        expected.put("ln_f.weight", new Shape(8));
        expected.put("ln_f.bias", new Shape(8));
        expected.put("head.0.weight", new Shape(11, 8));
        expected.put("head.0.bias", new Shape(11));
        Map<String, Shape> found = parameterShapes(spec);
        assertEquals(expected, found);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(found.keySet()), "declaration order");
    }

    @Test
    void givesEachHeadItsOwnReadoutAndClsItsOwnVectorAndPosition() {
        ModelSpec spec = create(Map.of("layers", 1, "d-model", 8, "heads", 2, "ff", 16, "cls", true),
                new TaskShape(11, 2, List.of(11, 5, 3)));
        Map<String, Shape> shapes = parameterShapes(spec);
        assertEquals(new Shape(8), shapes.get("embed.cls"));
        assertEquals(new Shape(3, 8), shapes.get("embed.position.weight"));
        assertEquals(new Shape(5, 8), shapes.get("head.1.weight"));
        assertEquals(new Shape(3), shapes.get("head.2.bias"));
    }

    @Test
    void offersAttnFirstThenMlpEmbedHeadAndAll() {
        ModelSpec spec = create(SMALL, new TaskShape(11, 2, List.of(11, 11)));
        assertEquals(List.of("attn", "mlp", "embed", "head", "all"),
                spec.groups().stream().map(ParameterGroup::name).toList());
        List<String> attn = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (String p : List.of("q", "k", "v", "o")) {
                attn.add("blocks." + l + ".attn." + p + ".weight");
            }
        }
        assertEquals(attn, matching(spec, "attn"));
        assertEquals(8, matching(spec, "mlp").size());
        assertEquals(List.of("embed.token.weight", "embed.position.weight"), matching(spec, "embed"));
        assertEquals(List.of("head.0.weight", "head.0.bias", "head.1.weight", "head.1.bias"), matching(spec, "head"));
        assertEquals(parameterShapes(spec).size(), matching(spec, "all").size());
        assertSame(spec.block(), spec.block());
    }

    @Test
    void countsParametersByTheDocumentedFormula() {
        List<Map<String, Object>> configs = List.of(SMALL, Map.of("cls", true), Map.of());
        List<TaskShape> shapes = List.of(new TaskShape(97, 2, List.of(97)), new TaskShape(11, 2, List.of(11, 5, 3)));
        for (Map<String, Object> settings : configs) {
            for (TaskShape shape : shapes) {
                ModelSpec spec = create(settings, shape);
                long elements = parameterShapes(spec).values().stream().mapToLong(Shape::size).sum();
                TransformerConfig parsed = TransformerConfig.from(config(settings));
                assertEquals(TransformerArchitecture.parameterCount(parsed, shape), elements, settings + " " + shape);
            }
        }
        // the functional-modes model: d 128, 4 heads, ff 256, 2 layers, p = 97, one head
        TaskShape p97 = new TaskShape(97, 2, List.of(97));
        long d = 128;
        long expected = 97 * d + 2 * d + 2 * (4 * (d * d + d) + 4 * d + (256 * d + 256) + (d * 256 + d)) + 2 * d
                + (97 * d + 97);
        assertEquals(expected, TransformerArchitecture.parameterCount(TransformerConfig.from(config(Map.of())), p97));
        assertEquals(290_401L, expected);
    }

    @Test
    void rejectsAWidthThatIsNotAMultipleOfTheHeadsSayingWhatToDo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> create(Map.of("d-model", 10, "heads", 4), new TaskShape(5, 2, List.of(5))));
        assertTrue(e.getMessage().contains("architecture.transformer") && e.getMessage().contains("d-model")
                && e.getMessage().contains("heads"), e.getMessage());
        assertThrows(ConfigException.class, () -> create(Map.of("layers", 0), new TaskShape(5, 2, List.of(5))));
        assertThrows(ConfigException.class, () -> create(Map.of("loss", "mse"), new TaskShape(5, 2, List.of(5))));
    }
}
