package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.model.Architecture;
import dev.sedge.api.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks every {@link Architecture} passes. Failures are {@link AssertionError}s. Needs a
 * DJL engine (the tests of an architecture have one on their class or module path).
 */
public final class ArchitectureContract {

    private static final int BATCH = 3;
    private static final int SEED = 1;

    private ArchitectureContract() {
    }

    /**
     * Checks the plugin contract and, for {@code shape}: the spec returns the same block every
     * time; groups are non-empty, lower-kebab-case, unique, and each glob matches a parameter;
     * parameter names are unique; the same engine seed initialises two specs to bit-identical
     * parameters; a forward pass over a batch of tokens gives one FLOAT32 batch × classes array
     * per head; the loss is a finite scalar whose gradient reaches every parameter.
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
            Pattern glob = globPattern(group.glob());
            require(names.stream().anyMatch(n -> glob.matcher(n).matches()),
                    name + ": group " + group.name() + " (" + group.glob() + ") matches no parameter of " + names);
        }
        checkForwardAndLoss(name, spec, shape, parameters, manager);
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
        int[] tokens = new int[BATCH * shape.sequenceLength()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 3) % shape.vocabularySize();
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(tokens, new Shape(BATCH, shape.sequenceLength()));
            NDList labels = new NDList();
            for (int classes : shape.headClasses()) {
                int[] y = new int[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    y[i] = i % classes;
                }
                labels.add(step.create(y));
            }
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = spec.block().forward(store, new NDList(x), true);
                require(out.size() == shape.headClasses().size(),
                        name + ": " + out.size() + " outputs for " + shape.headClasses().size() + " heads");
                for (int h = 0; h < out.size(); h++) {
                    Shape expected = new Shape(BATCH, shape.headClasses().get(h));
                    require(out.get(h).getShape().equals(expected) && out.get(h).getDataType() == DataType.FLOAT32,
                            name + ": head " + h + " gave " + out.get(h).getDataType() + " " + out.get(h).getShape()
                                    + ", expected FLOAT32 " + expected);
                }
                NDArray loss = spec.loss().evaluate(labels, out);
                require(loss.getShape().size() == 1 && Float.isFinite(loss.toFloatArray()[0]),
                        name + ": the loss is not a finite scalar: " + loss);
                collector.backward(loss);
            }
            for (Pair<String, Parameter> p : parameters) {
                NDArray weight = p.getValue().getArray();
                require(weight.hasGradient(), name + ": " + p.getKey() + " takes no gradient");
                NDArray gradient = weight.getGradient();
                step.attachAll(gradient);
                require(gradient.getShape().equals(weight.getShape()), name + ": gradient of " + p.getKey()
                        + " has shape " + gradient.getShape() + ", the weight " + weight.getShape());
                gradient.subi(gradient);
            }
        }
    }

    /** {@code *}: any run of characters, {@code ?}: one character, anything else literal. */
    static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
