package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Initialises a fan-in × fan-out matrix (the first dimension is the fan-in) from the engine's
 * random generator, so the values follow from the seed given to
 * {@code Engine.setRandomSeed} and the order parameters are initialised in.
 *
 * <p>{@link Distribution#UNIFORM}: U(−s/√fan_in, s/√fan_in), which for s = 1 is the default
 * initialisation of PyTorch's {@code nn.Linear} (Kaiming-uniform with a = √5).
 * {@link Distribution#NORMAL}: N(0, s²/fan_in).
 *
 * @param distribution the family
 * @param scale        s &gt; 0
 */
record FanInInitializer(Distribution distribution, double scale) implements Initializer {

    /** The family of initial values. */
    enum Distribution {
        UNIFORM("uniform"), NORMAL("normal");

        private final String configName;

        Distribution(String configName) {
            this.configName = configName;
        }

        String configName() {
            return configName;
        }

        /** @throws IllegalArgumentException naming {@code key} and the known names */
        static Distribution of(String key, String name) {
            for (Distribution d : values()) {
                if (d.configName.equals(name)) {
                    return d;
                }
            }
            throw new IllegalArgumentException(key + " must be one of " + names() + ", found '" + name + "'");
        }

        static String names() {
            return Arrays.stream(values()).map(Distribution::configName).collect(Collectors.joining(", "));
        }
    }

    FanInInitializer {
        Objects.requireNonNull(distribution, "distribution");
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("init-scale must be a finite number > 0, found " + scale);
        }
    }

    /**
     * @param shape fan-in × fan-out
     * @return a new array on {@code manager}
     */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a fan-in x fan-out matrix, found shape " + shape);
        }
        float width = (float) (scale / Math.sqrt(shape.get(0)));
        return switch (distribution) {
            case UNIFORM -> manager.randomUniform(-width, width, shape, dataType);
            case NORMAL -> manager.randomNormal(0f, width, shape, dataType);
        };
    }
}
