package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code init-scale} of the three transformer architectures (docs/training.md). */
class InitScaleTests {

    private static final int VOCAB = 5;
    private static final int SEQ = 4;

    /** An architecture, a small configuration of it and a task shape it trains. */
    private record Case(Architecture architecture, Map<String, Object> small, TaskShape shape) {
    }

    private static final List<Case> CASES = List.of(
            new Case(new TransformerArchitecture(), Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16),
                    new TaskShape(VOCAB, SEQ, List.of(3))),
            new Case(new CausalTransformerArchitecture(), Map.of("layers", 2, "d-model", 8, "heads", 2, "ff", 16),
                    new TaskShape(VOCAB, SEQ, List.of(3), Optional.of(new TargetSpec.Aligned(SEQ, 0)))),
            new Case(new EncoderDecoderArchitecture(),
                    Map.of("encoder-layers", 1, "decoder-layers", 1, "d-model", 8, "heads", 2, "ff", 16),
                    new TaskShape(VOCAB, SEQ, List.of(6), Optional.of(new TargetSpec.Decoded(5, 0, 4, 5)))));

    private static PluginConfig config(Case c, Object scale) {
        Map<String, Object> settings = new HashMap<>(c.small());
        if (scale != null) {
            settings.put("init-scale", scale);
        }
        return PluginConfig.of("architecture." + c.architecture().name(), c.architecture().descriptor(), settings);
    }

    private static Block initialised(NDManager manager, Case c, Object scale) {
        Block block = c.architecture().create(config(c, scale), c.shape()).block();
        Engine.getInstance().setRandomSeed(5);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, SEQ));
        return block;
    }

    @Test
    void multipliesEveryInitialValueButTheLayerNormsAndKeepsThemTrainable() {
        for (Case c : CASES) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ParameterList plain = initialised(manager, c, null).getParameters();
                ParameterList scaled = initialised(manager, c, 2.5).getParameters();
                assertEquals(plain.size(), scaled.size());
                int layerNorms = 0;
                for (int i = 0; i < plain.size(); i++) {
                    String name = plain.get(i).getKey();
                    Parameter.Type type = plain.get(i).getValue().getType();
                    float[] before = plain.get(i).getValue().getArray().toFloatArray();
                    float[] after = scaled.get(i).getValue().getArray().toFloatArray();
                    boolean layerNorm = type == Parameter.Type.GAMMA || type == Parameter.Type.BETA;
                    layerNorms += layerNorm ? 1 : 0;
                    float[] expected = before.clone();
                    for (int j = 0; !layerNorm && j < expected.length; j++) {
                        expected[j] *= 2.5f;
                    }
                    assertArrayEquals(expected, after, c.architecture().name() + " " + name);
                    assertTrue(scaled.get(i).getValue().getArray().hasGradient(), name + " still trains");
                }
                assertTrue(layerNorms >= 4, c.architecture().name() + " has LayerNorms to leave alone");
            }
        }
    }

    @Test
    void refusesAScaleThatIsNotAFiniteNumberAboveZero() {
        for (Case c : CASES) {
            for (Object bad : List.of(0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY)) {
                ConfigException e = assertThrows(ConfigException.class,
                        () -> c.architecture().create(config(c, bad), c.shape()));
                // a non-finite value is refused by the configuration's own parsing, the rest by the architecture
                assertTrue(e.getMessage().contains("architecture." + c.architecture().name() + ".init-scale")
                        || e.getMessage().contains("init-scale must be a finite number > 0, found " + bad),
                        e.getMessage());
                assertTrue(e.getMessage().contains("architecture." + c.architecture().name())
                        && e.getMessage().contains("finite number"), e.getMessage());
            }
        }
    }
}
