package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class Mlp2ArchitectureTests {

    private final Architecture mlp2 = new Mlp2Architecture();

    private ModelSpec create(Map<String, ?> settings, TaskShape shape) {
        return mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(), settings), shape);
    }

    private static Map<String, Shape> parameterShapes(ModelSpec spec) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : spec.block().getParameters()) {
            shapes.put(p.getKey(), p.getValue().getShape());
        }
        return shapes;
    }

    @Test
    void passesThePluginContract() {
        PluginConfig defaults = PluginContract.check(mlp2);
        assertEquals("mlp2", mlp2.name());
        assertEquals(2048, defaults.intValue("hidden"));
        assertEquals("square", defaults.stringValue("activation"));
        assertEquals("zero-mean-mse-no-half", defaults.stringValue("loss"));
        assertEquals("mean", defaults.stringValue("loss-reduction"));
        assertEquals("uniform", defaults.stringValue("init"));
    }

    @Test
    void passesTheArchitectureContractForOneAndSeveralHeads() {
        for (String activation : List.of("square", "relu")) {
            for (List<Integer> heads : List.of(List.of(7), List.of(7, 3, 2))) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    PluginConfig config = PluginConfig.of("architecture.mlp2", mlp2.descriptor(),
                            Map.of("hidden", 16, "activation", activation));
                    ArchitectureContract.check(mlp2, config, new TaskShape(7, 2, heads), manager);
                }
            }
        }
    }

    @Test
    void isFoundByTheServiceLoaderAndListedInMetaInfServices() throws IOException {
        Module self = Mlp2ArchitectureTests.class.getModule();
        self.addUses(Architecture.class); // the patched test module has no `uses` of its own
        assertTrue(ServiceLoader.load(Architecture.class).stream()
                .anyMatch(p -> p.type() == Mlp2Architecture.class));
        try (InputStream in = self.getResourceAsStream("META-INF/services/" + Architecture.class.getName())) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .anyMatch(Mlp2Architecture.class.getName()::equals));
        }
    }

    @Test
    void namesItsParametersLayer1AndLayer2WithFanInByFanOutShapes() {
        ModelSpec spec = create(Map.of("hidden", 16), new TaskShape(7, 2, List.of(7)));
        Map<String, Shape> shapes = parameterShapes(spec);
        assertEquals(Map.of("layer1.weight", new Shape(14, 16), "layer2.weight", new Shape(16, 7)), shapes);
        assertEquals(List.of("layer1.weight", "layer2.weight"), List.copyOf(shapes.keySet()));
    }

    @Test
    void givesEachHeadItsOwnNumberedReadout() {
        ModelSpec spec = create(Map.of("hidden", 8), new TaskShape(5, 2, List.of(5, 3, 2)));
        assertEquals(List.of("layer1.weight", "layer2.0.weight", "layer2.1.weight", "layer2.2.weight"),
                List.copyOf(parameterShapes(spec).keySet()));
        assertEquals(new Shape(8, 3), parameterShapes(spec).get("layer2.1.weight"));
    }

    @Test
    void offersLayer1AsTheDefaultGroupThenLayer2AndAll() {
        ModelSpec spec = create(Map.of("hidden", 4), new TaskShape(5, 2, List.of(5)));
        assertEquals(List.of("layer1", "layer2", "all"), spec.groups().stream().map(ParameterGroup::name).toList());
        assertEquals(List.of("layer1.*", "layer2.*", "*"), spec.groups().stream().map(ParameterGroup::glob).toList());
        assertSame(spec.block(), spec.block());
    }

    @Test
    void rejectsAnUnknownActivationListingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> create(Map.of("activation", "tanh"), new TaskShape(5, 2, List.of(5))));
        assertTrue(e.getMessage().contains("activation") && e.getMessage().contains("square, relu")
                && e.getMessage().contains("'tanh'") && e.getMessage().contains("architecture.mlp2"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownLossAZeroHiddenSizeAndANonPositiveInitScale() {
        TaskShape shape = new TaskShape(5, 2, List.of(5));
        ConfigException loss = assertThrows(ConfigException.class, () -> create(Map.of("loss", "mse"), shape));
        assertTrue(loss.getMessage().contains("zero-mean-mse, zero-mean-mse-no-half, cross-entropy"), loss.getMessage());
        ConfigException hidden = assertThrows(ConfigException.class, () -> create(Map.of("hidden", 0), shape));
        assertTrue(hidden.getMessage().contains("hidden") && hidden.getMessage().contains("found 0"),
                hidden.getMessage());
        assertThrows(ConfigException.class, () -> create(Map.of("init-scale", 0), shape));
        assertThrows(ConfigException.class, () -> create(Map.of("init", "xavier"), shape));
    }

    @Test
    void reducesTheLossAsConfiguredAndRejectsAnUnknownReduction() {
        TaskShape shape = new TaskShape(5, 2, List.of(5));
        assertEquals(LossKind.Reduction.MEAN, ((HeadsLoss) create(Map.of(), shape).loss()).reduction());
        assertEquals(LossKind.Reduction.SUM,
                ((HeadsLoss) create(Map.of("loss-reduction", "sum"), shape).loss()).reduction());
        ConfigException e = assertThrows(ConfigException.class,
                () -> create(Map.of("loss-reduction", "median"), shape));
        assertTrue(e.getMessage().contains("loss-reduction") && e.getMessage().contains("mean, sum")
                && e.getMessage().contains("'median'"), e.getMessage());
    }
}
