package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import dev.sedge.api.djl.model.EngineScalar;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The hidden non-linearity σ of {@code mlp2}, by its configuration name. */
enum Activation {
    /** σ(x) = x², the activation under which modular addition groks with a lock-in. */
    SQUARE("square"),
    /** σ(x) = max(x, 0). */
    RELU("relu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    /**
     * σ elementwise. The result belongs to {@code x}'s manager.
     *
     * @param x not modified
     */
    NDArray apply(NDArray x) {
        return switch (this) {
            case SQUARE -> x.square();
            case RELU -> x.maximum(EngineScalar.of(x, 0f));
        };
    }

    /**
     * @throws IllegalArgumentException naming {@code key} and the known names
     */
    static Activation of(String key, String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + names() + ", found '" + name + "'");
    }

    static String names() {
        return Arrays.stream(values()).map(Activation::configName).collect(Collectors.joining(", "));
    }
}
