package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks {@link OptimizerRun#state()} and {@link OptimizerRun#restore} of any optimizer: a run
 * restored from another run's state (and given the same weights) continues bit for bit like the
 * uninterrupted run, including the decay parts; the state of a fresh run is zeros at step 0; a
 * state with a tensor missing or misshapen is refused with a {@link DataFormatException} naming
 * the tensor.
 */
final class ResumeCheck {

    /** A 2-D weight (Muon treats it as a matrix), a 1-D bias and a 4 × 3 matrix. */
    static final List<TensorInfo> LAYOUT = List.of(
            new TensorInfo("layer.weight", DType.F32, List.of(3L, 5L)),
            new TensorInfo("layer.bias", DType.F32, List.of(5L)),
            new TensorInfo("head.weight", DType.F32, List.of(4L, 3L)));

    private final Optimizer optimizer;
    private final PluginConfig config;
    private final NDManager manager;

    ResumeCheck(Optimizer optimizer, PluginConfig config, NDManager manager) {
        this.optimizer = optimizer;
        this.config = config;
        this.manager = manager;
    }

    /** Weights and accumulated decay parts of a run, in layout order. */
    private record Weights(List<NDArray> weights, List<NDArray> decays) {
        float[][] values(boolean decay) {
            List<NDArray> arrays = decay ? decays : weights;
            float[][] out = new float[arrays.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = arrays.get(i).toFloatArray();
            }
            return out;
        }
    }

    private Weights start() {
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> decays = new ArrayList<>();
        for (TensorInfo info : LAYOUT) {
            float[] values = new float[Math.toIntExact(info.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (Math.cos(1.1 * i + info.name().length()) * (1 + i % 3));
            }
            weights.add(manager.create(values, shape(info)));
            decays.add(manager.zeros(shape(info)));
        }
        return new Weights(weights, decays);
    }

    private Weights copy(Weights w) {
        return new Weights(w.weights.stream().map(NDArray::duplicate).toList(),
                w.decays.stream().map(NDArray::duplicate).toList());
    }

    private void steps(OptimizerRun run, Weights w, long from, long to) {
        for (long step = from; step <= to; step++) {
            for (int p = 0; p < LAYOUT.size(); p++) {
                TensorInfo info = LAYOUT.get(p);
                float[] g = new float[Math.toIntExact(info.elementCount())];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (Math.sin(0.7 * step + 1.3 * i + p) * Math.pow(10, -(i % 4)));
                }
                try (NDArray gradient = manager.create(g, shape(info))) {
                    run.update(step, info.name(), w.weights.get(p), gradient, w.decays.get(p));
                }
            }
        }
    }

    private static Shape shape(TensorInfo info) {
        return new Shape(info.shape().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Runs A for 4 steps, saves its state and weights, runs it 4 more; a second run that has
     * taken 2 unrelated steps restores the saved state and continues from the saved weights.
     * Asserts bit-identical weights, decay parts and final states.
     */
    void restoredRunContinuesBitIdentically() {
        Weights a = start();
        List<Tensor> saved;
        Weights resumed;
        try (OptimizerRun first = optimizer.create(config, LAYOUT);
             OptimizerRun second = optimizer.create(config, LAYOUT)) {
            steps(first, a, 1, 4);
            saved = first.state();
            resumed = copy(a);
            steps(first, a, 5, 8);

            steps(second, start(), 1, 2);
            second.restore(saved);
            assertEquals(saved, second.state(), "state() right after restore()");
            steps(second, resumed, 5, 8);
            assertEquals(first.state(), second.state(), "states after 4 more steps");
        }
        float[][] expected = a.values(false);
        float[][] found = resumed.values(false);
        float[][] expectedDecay = a.values(true);
        float[][] foundDecay = resumed.values(true);
        for (int p = 0; p < LAYOUT.size(); p++) {
            assertArrayEquals(expected[p], found[p], 0f, LAYOUT.get(p).name());
            assertArrayEquals(expectedDecay[p], foundDecay[p], 0f, LAYOUT.get(p).name() + " decay part");
        }
    }

    /**
     * A fresh run's state is all zeros with step counts 0, named {@code <optimizer>.*.<parameter>};
     * a fresh run restored from it and one never restored take identical steps.
     */
    void freshStateIsZerosAtStepZero() {
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            List<Tensor> state = run.state();
            assertTrue(!state.isEmpty(), "an optimizer state has at least the step counts");
            for (Tensor t : state) {
                assertTrue(t.info().name().startsWith(optimizer.name() + "."), t.info().name());
                for (double v : t.doubles()) {
                    assertEquals(0.0, v, 0.0, t.info().name());
                }
            }
            for (TensorInfo info : LAYOUT) {
                assertTrue(state.stream().anyMatch(t -> t.info().name().equals(optimizer.name() + ".step."
                        + info.name()) && t.info().shape().isEmpty()), "step count of " + info.name());
            }
        }
    }

    /** The state of a fresh run after two steps. */
    List<Tensor> stateAfterTwoSteps() {
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            steps(run, start(), 1, 2);
            return run.state();
        }
    }

    /** Missing, extra and misshapen tensors and a step count of 1.5 are refused, naming the tensor. */
    void refusesBrokenStates() {
        List<Tensor> good;
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            steps(run, start(), 1, 2);
            good = run.state();
        }
        try (OptimizerRun run = optimizer.create(config, LAYOUT)) {
            Tensor victim = good.getFirst();
            String name = victim.info().name();

            List<Tensor> missing = new ArrayList<>(good.subList(1, good.size()));
            assertMessageNames(assertThrows(DataFormatException.class, () -> run.restore(missing)), name);

            List<Tensor> extra = new ArrayList<>(good);
            extra.add(Tensor.ofFloats(optimizer.name() + ".other.layer.bias", DType.F32, List.of(5L), new float[5]));
            assertMessageNames(assertThrows(DataFormatException.class, () -> run.restore(extra)),
                    optimizer.name() + ".other.layer.bias");

            List<Tensor> misshapen = new ArrayList<>(good);
            long n = victim.info().elementCount();
            misshapen.set(0, Tensor.ofFloats(name, DType.F32, List.of(n), new float[Math.toIntExact(n)]));
            assertMessageNames(assertThrows(DataFormatException.class, () -> run.restore(misshapen)), name);

            List<Tensor> badStep = new ArrayList<>();
            String stepName = optimizer.name() + ".step." + LAYOUT.getFirst().name();
            for (Tensor t : good) {
                badStep.add(t.info().name().equals(stepName) ? Tensor.ofDoubles(stepName, List.of(), new double[] {1.5})
                        : t);
            }
            assertMessageNames(assertThrows(DataFormatException.class, () -> run.restore(badStep)), stepName);

            // a refused state leaves the run as it was: fresh, expecting step 1
            assertEquals(0.0, run.state().stream().filter(t -> t.info().name().equals(stepName))
                    .findFirst().orElseThrow().doubles()[0], 0.0);
            run.restore(good);
            Weights w = start();
            assertThrows(IllegalStateException.class, () -> steps(run, w, 1, 1));
            steps(run, w, 3, 3);
        }
    }

    private static void assertMessageNames(DataFormatException e, String name) {
        assertTrue(e.getMessage().contains(name), "message should name " + name + ": " + e.getMessage());
    }
}
