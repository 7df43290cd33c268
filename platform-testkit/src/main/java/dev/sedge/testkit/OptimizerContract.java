package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.api.djl.optim.ParameterBuffers;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The checks every {@link Optimizer} passes. Failures are {@link AssertionError}s. Needs a DJL
 * engine (the tests of an optimizer have one on their class or module path).
 */
public final class OptimizerContract {

    private static final int STEPS = 3;
    private static final List<TensorInfo> LAYOUT = List.of(
            new TensorInfo("layer.weight", DType.F32, List.of(2L, 3L)),
            new TensorInfo("layer.bias", DType.F32, List.of(3L)));

    private OptimizerContract() {
    }

    /**
     * Checks the plugin contract and, over three steps on two small parameters: the learning
     * rate is finite and positive; non-zero gradients change the weights; the change is finite;
     * the decay accumulator does not alter the update (with and without one, the weights agree
     * bit for bit); two runs agree bit for bit; the flat update of every parameter at once (as the
     * trainer calls it) gives the same weights and decay parts, bit for bit, as the update per
     * parameter; the gradient is not modified; close() releases the run.
     *
     * @param manager owns the arrays of the check; closed by the caller
     */
    public static void check(Optimizer optimizer, PluginConfig config, NDManager manager) {
        PluginContract.check(optimizer);
        String name = optimizer.name();
        try (NDManager scope = manager.newSubManager()) {
            float[][] plain = run(optimizer, config, scope, false)[0];
            float[][][] oneByOne = run(optimizer, config, scope, true);
            float[][] withDecay = oneByOne[0];
            float[][] again = run(optimizer, config, scope, false)[0];
            float[][][] flat = runFlat(optimizer, config, scope);
            for (int i = 0; i < LAYOUT.size(); i++) {
                String parameter = LAYOUT.get(i).name();
                require(Arrays.equals(plain[i], again[i]), name + ": two runs disagree on " + parameter);
                require(Arrays.equals(plain[i], withDecay[i]),
                        name + ": passing a decay accumulator changed the update of " + parameter);
                require(Arrays.equals(plain[i], flat[0][i]), name + ": the flat update (ParameterBuffers) and the"
                        + " update per parameter disagree on " + parameter);
                require(Arrays.equals(oneByOne[1][i], flat[1][i]), name + ": the flat update and the update per"
                        + " parameter record different weight-decay parts of " + parameter);
                require(!Arrays.equals(plain[i], start(LAYOUT.get(i))),
                        name + ": " + STEPS + " steps with non-zero gradients left " + parameter + " unchanged");
                for (float v : plain[i]) {
                    require(Float.isFinite(v), name + ": " + parameter + " became " + v);
                }
            }
        }
    }

    /**
     * Three steps, one {@code update} per parameter; with {@code withDecay}, each parameter's decay
     * accumulator is kept across the steps.
     *
     * @return the weights, then the decay parts (null rows without decay), per parameter
     */
    private static float[][][] run(Optimizer optimizer, PluginConfig config, NDManager scope, boolean withDecay) {
        String name = optimizer.name();
        float[][][] result = new float[2][LAYOUT.size()][];
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            double lr = run.learningRate(1);
            require(Double.isFinite(lr) && lr > 0, name + ": learningRate(1) = " + lr);
            NDArray[] weights = new NDArray[LAYOUT.size()];
            NDArray[] decay = new NDArray[LAYOUT.size()];
            for (int i = 0; i < LAYOUT.size(); i++) {
                weights[i] = scope.create(start(LAYOUT.get(i)), shapeOf(LAYOUT.get(i)));
                decay[i] = withDecay ? scope.zeros(shapeOf(LAYOUT.get(i))) : null;
            }
            for (long step = 1; step <= STEPS; step++) {
                for (int i = 0; i < LAYOUT.size(); i++) {
                    TensorInfo info = LAYOUT.get(i);
                    float[] g = gradient(info, step);
                    NDArray gradient = scope.create(g, shapeOf(info));
                    run.update(step, info.name(), weights[i], gradient, decay[i]);
                    require(Arrays.equals(g, gradient.toFloatArray()), name + ": update modified the gradient");
                }
            }
            for (int i = 0; i < LAYOUT.size(); i++) {
                result[0][i] = weights[i].toFloatArray();
                result[1][i] = withDecay ? decay[i].toFloatArray() : null;
            }
        }
        return result;
    }

    /**
     * The same steps through {@link OptimizerRun#update(long, ParameterBuffers)}, the way the trainer
     * calls it: the parameters as views of one flat array.
     *
     * @return the weights, then the decay parts, per parameter
     */
    private static float[][][] runFlat(Optimizer optimizer, PluginConfig config, NDManager scope) {
        float[][][] result = new float[2][LAYOUT.size()][];
        long total = LAYOUT.stream().mapToLong(TensorInfo::elementCount).sum();
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            NDArray weights = scope.create(concat(LAYOUT, info -> start(info)), new Shape(total));
            NDArray decay = scope.zeros(new Shape(total));
            for (long step = 1; step <= STEPS; step++) {
                final long t = step;
                float[] g = concat(LAYOUT, info -> gradient(info, t));
                NDArray gradients = scope.create(g, new Shape(total));
                run.update(step, new ParameterBuffers(weights, gradients, decay, LAYOUT));
                require(Arrays.equals(g, gradients.toFloatArray()), optimizer.name() + ": update modified the gradient");
            }
            ParameterBuffers buffers = new ParameterBuffers(weights, weights, decay, LAYOUT);
            for (int i = 0; i < LAYOUT.size(); i++) {
                result[0][i] = buffers.segment(weights, i).toFloatArray();
                result[1][i] = buffers.segment(decay, i).toFloatArray();
            }
        }
        return result;
    }

    private static float[] concat(List<TensorInfo> layout, Function<TensorInfo, float[]> values) {
        float[] out = new float[Math.toIntExact(layout.stream().mapToLong(TensorInfo::elementCount).sum())];
        int offset = 0;
        for (TensorInfo info : layout) {
            float[] v = values.apply(info);
            System.arraycopy(v, 0, out, offset, v.length);
            offset += v.length;
        }
        return out;
    }

    private static Shape shapeOf(TensorInfo info) {
        return new Shape(info.shape().stream().mapToLong(Long::longValue).toArray());
    }

    private static float[] start(TensorInfo info) {
        float[] values = new float[Math.toIntExact(info.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.cos(1.7 * i + info.name().length());
        }
        return values;
    }

    private static float[] gradient(TensorInfo info, long step) {
        float[] values = new float[Math.toIntExact(info.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.5 + Math.sin(0.9 * step + i));
        }
        return values;
    }
}
