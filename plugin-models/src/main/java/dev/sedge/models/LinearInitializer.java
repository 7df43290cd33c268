package dev.sedge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * U(−1/√fan_in, 1/√fan_in) for any shape: PyTorch's default for both the weight and the bias of
 * {@code nn.Linear}. Drawn from the engine's random generator.
 *
 * @param fanIn the input width of the layer the parameter belongs to, &ge; 1
 */
record LinearInitializer(long fanIn) implements Initializer {

    LinearInitializer {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fan-in must be >= 1, found " + fanIn);
        }
    }

    /** @return a new array on {@code manager} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
