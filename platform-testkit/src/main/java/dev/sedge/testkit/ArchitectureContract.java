package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.NameGlob;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks every {@link Architecture} passes. Failures are {@link AssertionError}s. Needs a
 * DJL engine (the tests of an architecture have one on their class or module path).
 */
public final class ArchitectureContract {

    private static final int BATCH = 3;
    private static final int SEED = 1;
    /** Relative tolerance between two float32 evaluations of the same row (batch of 1 vs of BATCH). */
    private static final double PROBE_TOLERANCE = 1e-5;

    private ArchitectureContract() {
    }

    /**
     * Checks the plugin contract and, for {@code shape}: the spec returns the same block every
     * time; groups are non-empty, lower-kebab-case, unique, and each glob matches a parameter;
     * parameter names are unique; the same engine seed initialises two specs to bit-identical
     * parameters; a forward pass over a batch of tokens gives one FLOAT32 batch × classes array
     * per head (batch × T × classes for a shape with a target per position,
     * {@link TaskShape#perPosition()}, whose loss is then given batch × T targets with IGNORE = −1 at
     * some positions; for a seq2seq shape, {@link TargetSpec.Decoded}, the block also reads batch × T
     * decoder inputs and T is the spec's length); the loss is a finite scalar whose gradient reaches every parameter and is the same,
     * bit for bit, when the garbage collector runs between the forward and the backward pass (a
     * constant made from a Java number and kept by the graph breaks that: see
     * {@link dev.sedge.api.djl.model.EngineScalar}); a spec that
     * says its outputs do not depend on the training flag gives bit-identical outputs with
     * {@code training} true and false.
     *
     * <p>Probe points: at least one, lower-kebab-case, unique, the same list on every call; each
     * point, probed outside any gradient collector, gives a finite FLOAT32 batch × width array
     * for a batch of 1 and of 3, of the same width, whose row 0 is the same in both (to a relative
     * 10⁻⁵: a row depends on its example alone); a point named {@code logits} equals the block's
     * outputs concatenated in head order (per position, flattened per example, for a per-position
     * shape); an unknown point is refused with an
     * {@link IllegalArgumentException} whose message lists every known point; probing changes no
     * parameter and leaves no array on {@code manager}.
     *
     * @param manager owns the parameters and temporaries of the check; closed by the caller
     * @return the spec made (initialised on {@code manager})
     */
    public static ModelSpec check(Architecture architecture, PluginConfig config, TaskShape shape,
                                  NDManager manager) {
        PluginContract.check(architecture);
        String name = architecture.name();
        ModelSpec spec = architecture.create(config, shape);
        require(spec.block() == spec.block(), name + ": block() must return the same instance");
        require(spec.loss() != null, name + ": loss() is null");
        checkGroupNames(name, spec.groups());

        Shape input = new Shape(BATCH, shape.sequenceLength());
        Engine.getInstance().setRandomSeed(SEED);
        spec.block().initialize(manager, DataType.FLOAT32, input);
        ModelSpec twin = architecture.create(config, shape);
        Engine.getInstance().setRandomSeed(SEED);
        twin.block().initialize(manager, DataType.FLOAT32, input);
        List<Pair<String, Parameter>> parameters = spec.block().getParameters().stream().toList();
        List<Pair<String, Parameter>> twins = twin.block().getParameters().stream().toList();
        Set<String> names = new HashSet<>();
        require(!parameters.isEmpty(), name + ": the block has no parameters");
        require(parameters.size() == twins.size(), name + ": two specs for the same shape differ in parameters");
        for (int i = 0; i < parameters.size(); i++) {
            String parameter = parameters.get(i).getKey();
            require(names.add(parameter), name + ": parameter name '" + parameter + "' repeats");
            require(parameter.equals(twins.get(i).getKey()), name + ": parameter order differs between two specs");
            require(Arrays.equals(parameters.get(i).getValue().getArray().toFloatArray(),
                    twins.get(i).getValue().getArray().toFloatArray()),
                    name + ": " + parameter + " differs between two initialisations with the same engine seed");
        }
        for (ParameterGroup group : spec.groups()) {
            NameGlob glob = new NameGlob(group.glob());
            require(names.stream().anyMatch(glob::matches),
                    name + ": group " + group.name() + " (" + group.glob() + ") matches no parameter of " + names);
        }
        checkForwardAndLoss(name, spec, shape, parameters, manager);
        checkTrainingFlag(name, spec, shape, manager);
        checkProbes(name, spec, shape, parameters, manager);
        return spec;
    }

    private static void checkGroupNames(String name, List<ParameterGroup> groups) {
        require(!groups.isEmpty(), name + ": no parameter groups");
        Set<String> seen = new HashSet<>();
        for (ParameterGroup group : groups) {
            require(dev.sedge.api.Plugin.NAME.matcher(group.name()).matches(),
                    name + ": group name must be lower-kebab-case, found '" + group.name() + "'");
            require(seen.add(group.name()), name + ": group " + group.name() + " repeats");
        }
    }

    private static void checkForwardAndLoss(String name, ModelSpec spec, TaskShape shape,
                                            List<Pair<String, Parameter>> parameters, NDManager manager) {
        List<float[]> straight = gradients(name, spec, shape, parameters, manager, false);
        List<float[]> collected = gradients(name, spec, shape, parameters, manager, true);
        for (int i = 0; i < parameters.size(); i++) {
            require(Arrays.equals(straight.get(i), collected.get(i)), name + ": the gradient of "
                    + parameters.get(i).getKey() + " changes when the garbage collector runs between the forward and"
                    + " the backward pass: the graph keeps an array whose memory Java frees. An operation with a"
                    + " Java number (NDArray.mul(Number), div, maximum, ...) does that; use"
                    + " dev.sedge.api.djl.model.EngineScalar instead (docs/plugins.md)");
        }
    }

    /**
     * One forward and backward pass over a fixed batch, checking the outputs, the loss and that the
     * gradient reaches every parameter; the gradients are returned (in parameter order) and zeroed.
     *
     * @param collectBetween whether to collect garbage, and let the JDK free what it found, between the two
     *                       passes
     */
    private static List<float[]> gradients(String name, ModelSpec spec, TaskShape shape,
                                           List<Pair<String, Parameter>> parameters, NDManager manager,
                                           boolean collectBetween) {
        try (NDManager step = manager.newSubManager()) {
            NDList x = inputs(step, shape, BATCH);
            NDList labels = new NDList();
            for (int classes : shape.headClasses()) {
                labels.add(labels(step, shape, classes));
            }
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = spec.block().forward(store, x, true);
                require(out.size() == shape.headClasses().size(),
                        name + ": " + out.size() + " outputs for " + shape.headClasses().size() + " heads");
                for (int h = 0; h < out.size(); h++) {
                    Shape expected = shape.perPosition()
                            ? new Shape(BATCH, positions(shape), shape.headClasses().get(h))
                            : new Shape(BATCH, shape.headClasses().get(h));
                    require(out.get(h).getShape().equals(expected) && out.get(h).getDataType() == DataType.FLOAT32,
                            name + ": head " + h + " gave " + out.get(h).getDataType() + " " + out.get(h).getShape()
                                    + ", expected FLOAT32 " + expected);
                }
                NDArray loss = spec.loss().evaluate(labels, out);
                require(loss.getShape().size() == 1 && Float.isFinite(loss.toFloatArray()[0]),
                        name + ": the loss is not a finite scalar: " + loss);
                if (collectBetween) {
                    collectGarbage();
                }
                collector.backward(loss);
            }
            List<float[]> gradients = new ArrayList<>();
            for (Pair<String, Parameter> p : parameters) {
                NDArray weight = p.getValue().getArray();
                require(weight.hasGradient(), name + ": " + p.getKey() + " takes no gradient");
                NDArray gradient = weight.getGradient();
                step.attachAll(gradient);
                require(gradient.getShape().equals(weight.getShape()), name + ": gradient of " + p.getKey()
                        + " has shape " + gradient.getShape() + ", the weight " + weight.getShape());
                gradients.add(gradient.toFloatArray());
                gradient.subi(gradient);
            }
            return gradients;
        }
    }

    /**
     * Runs the garbage collector and gives the JDK's cleaner thread time to free the native memory of the
     * direct buffers it found unreachable; freed memory is overwritten by the allocator's bookkeeping, so a
     * graph that still reads it computes another gradient.
     */
    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the garbage collector", e);
            }
        }
    }

    private static void checkTrainingFlag(String name, ModelSpec spec, TaskShape shape, NDManager manager) {
        if (spec.trainingChangesOutputs()) {
            return;
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDList inputs = inputs(scope, shape, BATCH);
            NDList training = spec.block().forward(store, inputs, true);
            NDList inference = spec.block().forward(store, inputs, false);
            for (int h = 0; h < training.size(); h++) {
                require(Arrays.equals(training.get(h).toFloatArray(), inference.get(h).toFloatArray()),
                        name + ": trainingChangesOutputs() is false, yet head " + h + "'s outputs differ between"
                                + " training = true and false");
            }
        }
    }

    /**
     * One head's INT32 labels for a batch of {@link #BATCH}: batch labels, or for a per-position shape
     * batch × T targets whose last position of every other row is IGNORE (−1).
     */
    private static NDArray labels(NDManager manager, TaskShape shape, int classes) {
        if (!shape.perPosition()) {
            int[] y = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                y[i] = i % classes;
            }
            return manager.create(y);
        }
        int length = positions(shape);
        int[] y = new int[BATCH * length];
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < length; t++) {
                y[i * length + t] = i % 2 == 0 && t == length - 1 && length > 1 ? -1 : (i + t) % classes;
            }
        }
        return manager.create(y, new Shape(BATCH, length));
    }

    /** T, the output positions of a per-position shape: the sequence length, or a seq2seq spec's length. */
    private static int positions(TaskShape shape) {
        return shape.targetSpec().map(TargetSpec::length).orElse(shape.sequenceLength());
    }

    /**
     * A batch's model input on {@code manager}: the tokens, and for a seq2seq shape
     * ({@link TargetSpec.Decoded}) the decoder inputs too, batch × T classes of the first head starting with
     * {@code bos}; the first rows are the same for every batch size.
     */
    private static NDList inputs(NDManager manager, TaskShape shape, int batch) {
        NDList inputs = new NDList(tokens(manager, shape, batch));
        if (shape.targetSpec().orElse(null) instanceof TargetSpec.Decoded decoded) {
            int length = decoded.length();
            int[] symbols = new int[batch * length];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = i % length == 0 ? decoded.bos() : (i * 5 + 1) % shape.headClasses().getFirst();
            }
            inputs.add(manager.create(symbols, new Shape(batch, length)));
        }
        return inputs;
    }

    /** A batch × S INT32 array of tokens on {@code manager}; the first rows are the same for every batch size. */
    private static NDArray tokens(NDManager manager, TaskShape shape, int batch) {
        int[] tokens = new int[batch * shape.sequenceLength()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 3) % shape.vocabularySize();
        }
        return manager.create(tokens, new Shape(batch, shape.sequenceLength()));
    }

    private static void checkProbes(String name, ModelSpec spec, TaskShape shape,
                                    List<Pair<String, Parameter>> parameters, NDManager manager) {
        List<String> points = spec.probePoints();
        require(points != null && !points.isEmpty(), name + ": declares no probe point; the functional modes need one");
        require(points.equals(spec.probePoints()), name + ": probePoints() must return the same list on every call");
        Set<String> seen = new HashSet<>();
        for (String point : points) {
            require(point != null && Plugin.NAME.matcher(point).matches(),
                    name + ": probe point must be lower-kebab-case, found '" + point + "'");
            require(seen.add(point), name + ": probe point " + point + " repeats");
        }
        List<float[]> before = parameters.stream().map(p -> p.getValue().getArray().toFloatArray()).toList();
        int managed = manager.getManagedArrays().size();
        ParameterStore store = new ParameterStore(manager, false);
        for (String point : points) {
            checkProbe(name, spec, shape, store, point, manager);
        }
        checkUnknownProbe(name, spec, shape, store, points, manager);
        require(manager.getManagedArrays().size() == managed, name + ": probing left "
                + (manager.getManagedArrays().size() - managed) + " arrays on the parameters' manager;"
                + " every temporary belongs to the inputs' manager");
        for (int i = 0; i < parameters.size(); i++) {
            require(Arrays.equals(before.get(i), parameters.get(i).getValue().getArray().toFloatArray()),
                    name + ": probing changed parameter " + parameters.get(i).getKey());
        }
    }

    private static void checkProbe(String name, ModelSpec spec, TaskShape shape, ParameterStore store, String point,
                                   NDManager manager) {
        String what = name + ": probe point " + point;
        try (NDManager step = manager.newSubManager()) {
            NDList batch = inputs(step, shape, BATCH);
            float[] one = probed(what, spec.probe(store, inputs(step, shape, 1), point), 1);
            NDArray many = spec.probe(store, batch, point);
            float[] rows = probed(what, many, BATCH);
            require(one.length * BATCH == rows.length, what + " is " + one.length + " wide for a batch of 1 and "
                    + rows.length / BATCH + " for a batch of " + BATCH + "; the width must not depend on the batch");
            for (int j = 0; j < one.length; j++) {
                require(close(one[j], rows[j]), what + ": row 0, column " + j + " is " + one[j] + " in a batch of 1"
                        + " and " + rows[j] + " in a batch of " + BATCH + "; a row must depend on its example alone");
            }
            if (point.equals("logits")) {
                NDList out = spec.block().forward(store, batch, false);
                int last = out.getFirst().getShape().dimension() - 1;
                float[] expected = (out.size() == 1 ? out.singletonOrThrow() : NDArrays.concat(out, last))
                        .toFloatArray();
                require(expected.length == rows.length, what + " has " + rows.length + " values for a batch of "
                        + BATCH + ", the block's outputs " + expected.length);
                for (int j = 0; j < rows.length; j++) {
                    require(close(expected[j], rows[j]), what + ": value " + j + " is " + rows[j]
                            + ", the block's output " + expected[j] + "; logits are the outputs in head order");
                }
            }
        }
    }

    /** Checks that {@code probed} is a finite FLOAT32 batch × width array, width &ge; 1, and returns its values. */
    private static float[] probed(String what, NDArray probed, int batch) {
        Shape shape = probed.getShape();
        require(shape.dimension() == 2 && shape.get(0) == batch && shape.get(1) >= 1
                && probed.getDataType() == DataType.FLOAT32, what + " gave " + probed.getDataType() + " " + shape
                + " for a batch of " + batch + ", expected FLOAT32 (" + batch + ", width >= 1)");
        float[] values = probed.toFloatArray();
        for (int j = 0; j < values.length; j++) {
            require(Float.isFinite(values[j]), what + ": value " + j + " is " + values[j]);
        }
        return values;
    }

    private static boolean close(float expected, float found) {
        double scale = Math.max(1, Math.max(Math.abs(expected), Math.abs(found)));
        return Math.abs(expected - found) <= PROBE_TOLERANCE * scale;
    }

    private static void checkUnknownProbe(String name, ModelSpec spec, TaskShape shape, ParameterStore store,
                                          List<String> points, NDManager manager) {
        String unknown = "no-such-probe-point";
        while (points.contains(unknown)) {
            unknown += "-x";
        }
        try (NDManager step = manager.newSubManager()) {
            spec.probe(store, inputs(step, shape, 1), unknown);
            throw new AssertionError(name + ": unknown probe point '" + unknown + "' was accepted");
        } catch (IllegalArgumentException e) {
            for (String point : points) {
                require(e.getMessage() != null && e.getMessage().contains(point), name
                        + ": the unknown-probe-point message does not list '" + point + "': " + e.getMessage());
            }
        }
    }
}
