package dev.sedge.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.api.djl.optim.ParameterBuffers;
import dev.sedge.api.model.NameGlob;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.detect.GuardedRun;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.experiment.RunSeeds;
import dev.sedge.core.experiment.Selected;
import dev.sedge.core.experiment.SpectrumSettings;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.spectral.SketchTransform;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run is made of, created and checked before the first step: the task's data, the
 * model (initialised from the run's init seed on the run's own {@link NDManager}), the optimizer
 * run, the live detectors and the spectral engine. Creating a session is the validation a dry run
 * performs; any configuration problem surfaces here as a {@link ConfigException} naming the plugin
 * scope, before a file is written.
 *
 * <p>Owns the run's manager, on which the parameters, the optimizer state and the group's
 * weight-decay accumulators live; {@link #close()} frees them. Confined to the thread that opened it.
 */
final class TrainingSession implements AutoCloseable {

    /** One trainable parameter. */
    record ModelParameter(String name, Parameter parameter, TensorInfo info, boolean inGroup) {

        /** The parameter's array, on the run manager. Never temp-attach it to a step scope. */
        NDArray array() {
            return parameter.getArray();
        }
    }

    final Experiment experiment;
    final RunSeeds seeds;
    final TaskData data;
    final SplitArrays train;
    final SplitArrays test;
    final ModelSpec spec;
    final Engine engine;
    final NDManager manager;
    final ParameterStore store;
    final List<ModelParameter> parameters;
    final SpectrumGroup group;
    final OptimizerRun optimizer;
    final Map<String, GuardedRun> detectors;
    final SpectralOptions spectralOptions;
    /**
     * Every parameter end to end in layout order, on the run manager: each parameter's array is a view
     * of its segment, so the optimizer updates them all at once ({@link ParameterBuffers}).
     */
    final NDArray weights;
    /**
     * Δθ_wd since the last snapshot, laid out like {@link #weights}; the optimizer adds to every segment,
     * only the group's are read ({@link #decay}), and a snapshot zeroes it all.
     */
    final NDArray decayAll;
    /** The group members' segments of {@link #decayAll}, in group order. */
    final List<NDArray> decay;
    /** The probe point the level metric reads, or null when {@code train.level-every} is 0. */
    final String levelProbe;

    private TrainingSession(Experiment experiment, RunSeeds seeds, TaskData data, ModelSpec spec, Engine engine,
                            NDManager manager, List<ModelParameter> parameters, SpectrumGroup group,
                            OptimizerRun optimizer, Map<String, GuardedRun> detectors,
                            SpectralOptions spectralOptions, NDArray weights, NDArray decayAll, List<NDArray> decay,
                            String levelProbe) {
        this.experiment = experiment;
        this.seeds = seeds;
        this.data = data;
        this.train = new SplitArrays(data, data.train());
        this.test = new SplitArrays(data, data.test());
        this.spec = spec;
        this.engine = engine;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.parameters = List.copyOf(parameters);
        this.group = group;
        this.optimizer = optimizer;
        this.detectors = detectors;
        this.spectralOptions = spectralOptions;
        this.weights = weights;
        this.decayAll = decayAll;
        this.decay = List.copyOf(decay);
        this.levelProbe = levelProbe;
    }

    /**
     * Creates every part of a run and checks it.
     *
     * @throws ConfigException for a value a plugin refuses, a spectrum group matching nothing, a window
     *                         that does not fit in memory
     * @throws PluginException if a plugin fails otherwise, or the engine cannot start
     */
    static TrainingSession open(Experiment experiment) {
        RunSeeds seeds = RunSeeds.of(experiment.seed());
        TaskData data = experiment.data();
        TaskShape shape = TaskShape.of(data);
        var architecture = experiment.architecture();
        ModelSpec spec = PluginCall.create(architecture.describe("architecture"),
                () -> architecture.plugin().create(architecture.config(), shape));
        Engine engine = startEngine();
        GradMode.off(engine);
        NDManager manager = engine.newBaseManager();
        OptimizerRun optimizer = null;
        try {
            Block block = spec.block();
            engine.setRandomSeed(seeds.init());
            PluginCall.createHere(architecture.describe("architecture") + " initialising its block",
                    () -> {
                        block.initialize(manager, DataType.FLOAT32, new Shape(1, data.sequenceLength()));
                        return block;
                    });
            List<TensorInfo> infos = new ArrayList<>();
            List<Parameter> raw = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                if (array.getDataType() != DataType.FLOAT32) {
                    throw new PluginException(architecture.describe("architecture") + " made parameter '"
                            + p.getKey() + "' of type " + array.getDataType() + "; sedge trains FLOAT32 parameters");
                }
                infos.add(new TensorInfo(p.getKey(), DType.F32, longs(array.getShape())));
                raw.add(p.getValue());
            }
            SpectrumGroup group = SpectrumGroup.resolve(experiment.spectrum().group(), architecture.plugin().name(),
                    spec.groups(), infos);
            NDArray weights = flatten(manager, raw);
            NDArray decayAll = manager.zeros(weights.getShape(), DataType.FLOAT32);
            List<ModelParameter> parameters = new ArrayList<>();
            List<NDArray> decay = new ArrayList<>();
            long offset = 0;
            for (int i = 0; i < infos.size(); i++) {
                boolean inGroup = group.members().contains(infos.get(i));
                parameters.add(new ModelParameter(infos.get(i).name(), raw.get(i), infos.get(i), inGroup));
                long n = infos.get(i).elementCount();
                if (inGroup) {
                    decay.add(ParameterBuffers.view(decayAll, offset, n, raw.get(i).getArray().getShape()));
                }
                offset += n;
            }
            var chosen = experiment.optimizer();
            optimizer = PluginCall.createHere(chosen.describe("optimizer"), () -> chosen.plugin().create(chosen.config(), infos));
            Map<String, GuardedRun> detectors = new LinkedHashMap<>();
            for (Selected<EdgeDetector> d : experiment.detectors()) {
                detectors.put(d.plugin().name(), GuardedRun.open(d.plugin(), d.config()));
            }
            SpectralOptions options = spectralOptions(experiment.spectrum());
            new SpectralEngine(options, group.dimension()); // checks that the window fits in memory
            return new TrainingSession(experiment, seeds, data, spec, engine, manager, parameters, group, optimizer,
                    detectors, options, weights, decayAll, decay,
                    levelProbe(experiment, spec, architecture.describe("architecture")));
        } catch (RuntimeException | Error e) {
            if (optimizer != null) {
                optimizer.close();
            }
            manager.close();
            throw e;
        }
    }

    /**
     * Moves every parameter into one flat array, in order: the array holds their values, and each
     * parameter's array becomes a view of its segment (same values, still a leaf that records its
     * gradient), so that an in-place update of the flat array updates every parameter.
     *
     * @return the flat array, on {@code manager}
     */
    private static NDArray flatten(NDManager manager, List<Parameter> parameters) {
        NDList pieces = new NDList();
        try (NDManager scope = manager.newSubManager()) {
            for (Parameter p : parameters) {
                NDArray piece = p.getArray().stopGradient().reshape(-1);
                scope.attachAll(piece);
                pieces.add(piece);
            }
            NDArray weights = NDArrays.concat(pieces);
            weights.attach(manager);
            long offset = 0;
            for (Parameter p : parameters) {
                NDArray array = p.getArray();
                long n = array.size();
                array.intern(ParameterBuffers.view(weights, offset, n, array.getShape()));
                array.setRequiresGradient(true);
                offset += n;
            }
            return weights;
        }
    }

    /**
     * The probe point of the level metric: {@code train.level-probe}, or the model's first point; null
     * when {@code train.level-every} is 0.
     *
     * @throws ConfigException if the model has no such point
     */
    private static String levelProbe(Experiment experiment, ModelSpec spec, String architecture) {
        if (experiment.train().levelEvery() == 0) {
            return null;
        }
        List<String> points = spec.probePoints();
        String asked = experiment.train().levelProbe();
        if (asked.isEmpty() && !points.isEmpty()) {
            return points.getFirst();
        }
        if (!points.contains(asked)) {
            throw new ConfigException("train.level-probe: " + architecture + " has no probe point '" + asked
                    + "'; it has " + points + (points.isEmpty() ? ", so the level metric cannot be measured;"
                    + " set train.level-every = 0" : ""));
        }
        return asked;
    }

    /** The monitor's engine options from {@code spectrum.*}: exact, all processors. */
    static SpectralOptions spectralOptions(SpectrumSettings s) {
        try {
            return new SpectralOptions(s.window(), s.stride(), s.centered(),
                    Math.max(1, Runtime.getRuntime().availableProcessors()), 0, 0L, SketchTransform.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spectrum: " + e.getMessage());
        }
    }

    private static Engine startEngine() {
        try {
            return Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException("cannot start the DJL deep-learning engine: " + e.getMessage() + ". sedge trains"
                    + " on PyTorch: check that PYTORCH_LIBRARY_PATH names a folder with the libtorch libraries and"
                    + " libdjl_torch.so, with PYTORCH_VERSION and PYTORCH_FLAVOR set (the launcher does this)", e);
        }
    }

    private static List<Long> longs(Shape shape) {
        List<Long> out = new ArrayList<>();
        for (long d : shape.getShape()) {
            out.add(d);
        }
        return out;
    }

    /** Every parameter with its shape and every one of the model's groups whose glob matches it, in their order. */
    List<LayoutEntry> layout() {
        List<LayoutEntry> out = new ArrayList<>();
        for (ModelParameter p : parameters) {
            List<String> groups = spec.groups().stream().filter(g -> new NameGlob(g.glob()).matches(p.name()))
                    .map(g -> g.name()).toList();
            out.add(new LayoutEntry(p.name(), p.info().shape(), DType.F32, groups));
        }
        return out;
    }

    /** The parameter infos, in order. */
    List<TensorInfo> infos() {
        return parameters.stream().map(ModelParameter::info).toList();
    }

    @Override
    public void close() {
        try {
            optimizer.close();
        } finally {
            manager.close();
        }
    }
}
