package dev.sedge.core.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.Provenance;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import dev.sedge.core.Progress;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.plugin.PluginEntry;
import dev.sedge.core.plugin.PluginKind;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.ProvenanceJson;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.run.VersionedJson;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import dev.sedge.spectral.SpectralOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code sedge explain}: what the edge directions of one window of a trained run compute
 * (docs/science.md, "Probe points and functional modes"). The window's v_1..v_n are recomputed exactly
 * from the run's checkpoints ({@link EdgeWindow}); the model is rebuilt at the window's step
 * ({@link CheckpointModel}); each direction's functional mode f_k over every input of the task
 * ({@link FunctionalModes}) is scored in every basis that applies to the task's domain, best first,
 * with a permutation p-value ({@link BasisScore}); and the test accuracy lost by removing the edge
 * {v_1, v_2}, the bulk {v_3, v_4} and random planes from the group ({@link Ablation}), and along each
 * direction the test accuracy and the KL of the outputs ({@link PerturbationCurve}). The result is written to
 * {@code explain/step-NNNNNNNNN.json} (format below) and returned.
 *
 * <pre>{@code
 * {"format_version": 1, "group", "window", "centered", "step", "window_steps": [..], "probe", "epsilon",
 *  "sigma": [..], "directions": [{"index", "sigma", "bases": [{"basis", "label", "concentration",
 *  "uniform", "lift", "peak", "top": [..], "p_value", "permutations"}], "perturbation": {"epsilon": [..],
 *  "accuracy": [..], "kl": [..]}}], "not_applicable": [..],
 *  "ablation": {"accuracy", "edge", "bulk", "random": [..]}, "provenance": {..}}
 * }</pre>
 */
public final class ExplainJob {

    /** The format of the files this job writes. */
    public static final int FORMAT_VERSION = 1;

    /** Shuffles per p-value unless told otherwise: a p-value floor of 1/200. */
    public static final int DEFAULT_PERMUTATIONS = 199;

    /** Random planes the edge's ablation is compared with unless told otherwise, as in the Lifecycle paper. */
    public static final int DEFAULT_PLANES = 20;

    /**
     * What to explain.
     *
     * @param run          a trained run directory
     * @param step         the window's last checkpoint
     * @param group        the parameter group: a group of the run's layout or a tensor-name pattern
     * @param options      W and centering of the window (exact)
     * @param directions   how many edge directions, ≥ 1
     * @param probe        the probe point h; empty for the model's first
     * @param bases        basis plugins to score in, by name; empty for every one registered
     * @param permutations shuffles per p-value, ≥ 1
     * @param planes       random planes to ablate beside the edge and the bulk, ≥ 0
     */
    public record Request(Path run, long step, String group, SpectralOptions options, int directions, String probe,
                         List<String> bases, int permutations, int planes) {
        public Request {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(probe, "probe");
            bases = List.copyOf(bases);
            if (directions < 1) {
                throw new ConfigException("--directions must be >= 1, found " + directions);
            }
            if (permutations < 1) {
                throw new ConfigException("--permutations must be >= 1, found " + permutations);
            }
            if (planes < 0) {
                throw new ConfigException("--random-planes must be >= 0, found " + planes);
            }
            if (options.sketchDimension() > 0) {
                throw new ConfigException("explain needs the exact window: edge directions of a sketch live in the"
                        + " sketch space, not in parameter space");
            }
        }
    }

    /**
     * One direction's explanation.
     *
     * @param index  k, 1-based
     * @param sigma  σ_k of the window
     * @param scores every applicable basis, best first
     * @param curve  the test accuracy and KL along ε v_k
     */
    public record Direction(int index, double sigma, List<BasisScore> scores, PerturbationCurve curve) {
        public Direction {
            scores = List.copyOf(scores);
        }
    }

    /**
     * What was found.
     *
     * @param file          the JSON file written
     * @param window        the window's steps, σ and directions
     * @param probe         the probe point read
     * @param epsilon       ε, the step along each direction
     * @param directions    one per computed direction
     * @param notApplicable the bases asked for (or registered) that do not apply to the task's domain
     * @param ablation      the accuracy lost removing the edge, the bulk and random planes
     */
    public record Result(Path file, EdgeWindow window, String probe, double epsilon, List<Direction> directions,
                         List<String> notApplicable, Ablation ablation) {
        public Result {
            directions = List.copyOf(directions);
            notApplicable = List.copyOf(notApplicable);
        }
    }

    private final PluginRegistry registry;

    /** @param registry rebuilds the run's model, reads its checkpoints and supplies the bases */
    public ExplainJob(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs the job; holds the run's lock while it writes {@code explain/}.
     *
     * @param progress told about the window, the functional modes and each direction's scoring
     * @throws ConfigException for an unknown basis or probe point
     * @throws dev.sedge.api.DataFormatException for a run without the checkpoints the window needs
     */
    public Result run(Request request, Progress progress) {
        try (RunLock lock = RunLock.acquire(request.run(), "sedge explain")) {
            return explain(request, lock.layout(), progress);
        }
    }

    private Result explain(Request request, RunLayout layout, Progress progress) {
        List<PluginEntry> chosenBases = basisEntries(request.bases()); // an unknown name fails before any work
        int total = request.directions() + 3;
        progress.update(0, total, "window at step " + request.step());
        EdgeWindow window = EdgeWindow.compute(layout, GroupReader.group(layout.root(), request.group()),
                request.options(), request.step(), request.directions(), CheckpointFormats.of(registry));
        progress.update(1, total, "functional modes");
        double[][] modes;
        String probe;
        double epsilon;
        Ablation ablation;
        List<PerturbationCurve> curves = new ArrayList<>();
        Map<String, Basis> bases = new LinkedHashMap<>();
        List<String> notApplicable = new ArrayList<>();
        try (CheckpointModel model = CheckpointModel.open(layout.root(), registry, window.step())) {
            probe = request.probe().isEmpty() ? model.outputs().getFirst() : request.probe();
            epsilon = FunctionalModes.epsilon(model.checkpoint(), window);
            InputDomain domain = model.data().domain();
            modes = FunctionalModes.of(model, model.checkpoint(), window, model.data().tokens(), probe, epsilon);
            for (PluginEntry entry : chosenBases) {
                FunctionalBasis plugin = (FunctionalBasis) entry.plugin();
                PluginCall.create("basis '" + plugin.name() + "'", () -> plugin.create(
                        PluginConfig.defaults("basis." + plugin.name(), plugin.descriptor()), domain))
                        .ifPresentOrElse(b -> bases.put(plugin.name(), b), () -> notApplicable.add(plugin.name()));
            }
            progress.update(2, total, "ablation and perturbation curves");
            TestSplit split = TestSplit.of(model);
            ablation = Ablation.of(split, window, request.planes(), window.step());
            for (int k = 1; k <= window.count(); k++) {
                curves.add(PerturbationCurve.of(split, window, k));
            }
        }
        double[] sigma = window.sigma();
        List<Direction> directions = new ArrayList<>();
        for (int k = 1; k <= window.count(); k++) {
            progress.update(2 + k, total, "direction " + k + " of " + window.count());
            List<BasisScore> scores = new ArrayList<>();
            double[] f = modes[k - 1];
            long seed = k;
            for (Map.Entry<String, Basis> b : bases.entrySet()) {
                scores.add(PluginCall.create("basis '" + b.getKey() + "' projecting v_" + k,
                        () -> BasisScore.of(b.getKey(), b.getValue(), f, request.permutations(), seed)));
            }
            scores.sort(BasisScore.BEST_FIRST);
            directions.add(new Direction(k, sigma[k - 1], scores, curves.get(k - 1)));
        }
        Path file = layout.explanation(window.step());
        Result result = new Result(file, window, probe, epsilon, directions, notApplicable, ablation);
        write(result, request, layout);
        progress.update(total, total, "done");
        return result;
    }

    private List<PluginEntry> basisEntries(List<String> names) {
        List<PluginEntry> all = registry.entries(PluginKind.BASIS);
        if (names.isEmpty()) {
            return all;
        }
        List<PluginEntry> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(all.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() ->
                    new ConfigException("unknown basis '" + name + "'; the bases are "
                            + all.stream().map(PluginEntry::name).toList())));
        }
        return chosen;
    }

    /**
     * Adds what was found to {@code root}, as this job's file has it: {@code step}, {@code window_steps},
     * {@code probe}, {@code epsilon}, {@code sigma}, {@code directions}, {@code not_applicable} and
     * {@code ablation}. The one rendering of a result, for the file and for {@code --json}.
     */
    public static void putResult(ObjectNode root, Result result) {
        root.put("step", result.window().step());
        result.window().steps().forEach(root.putArray("window_steps")::add);
        root.put("probe", result.probe());
        root.put("epsilon", result.epsilon());
        numbers(root.putArray("sigma"), result.window().sigma());
        putDirections(root.putArray("directions"), result.directions());
        result.notApplicable().forEach(root.putArray("not_applicable")::add);
        putAblation(root.putObject("ablation"), result.ablation());
    }

    /**
     * Adds each direction to {@code array} as this job's file has it, {@code {"index", "sigma", "bases":
     * [{"basis", "label", "concentration", "uniform", "lift", "peak", "top", "p_value", "permutations"}],
     * "perturbation": {"epsilon": [..], "accuracy": [..], "kl": [..]}}}.
     */
    private static void putDirections(ArrayNode array, List<Direction> directions) {
        for (Direction d : directions) {
            ObjectNode node = array.addObject().put("index", d.index()).put("sigma", d.sigma());
            ArrayNode scores = node.putArray("bases");
            for (BasisScore s : d.scores()) {
                ObjectNode n = scores.addObject().put("basis", s.basis()).put("label", s.label())
                        .put("concentration", s.concentration()).put("uniform", s.uniform()).put("lift", s.lift())
                        .put("peak", s.peak());
                s.top().forEach(n.putArray("top")::add);
                n.put("p_value", s.pValue()).put("permutations", s.permutations());
            }
            ObjectNode curve = node.putObject("perturbation");
            numbers(curve.putArray("epsilon"), d.curve().epsilon());
            numbers(curve.putArray("accuracy"), d.curve().accuracy());
            numbers(curve.putArray("kl"), d.curve().kl());
        }
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    /** Adds {@code ablation} to {@code node}: accuracy, edge, bulk (null without), random. */
    private static void putAblation(ObjectNode node, Ablation ablation) {
        node.put("accuracy", ablation.accuracy()).put("edge", ablation.edge());
        if (Double.isNaN(ablation.bulk())) {
            node.putNull("bulk");
        } else {
            node.put("bulk", ablation.bulk());
        }
        numbers(node.putArray("random"), ablation.random());
    }

    private static void write(Result result, Request request, RunLayout layout) {
        Path file = result.file();
        EdgeWindow window = result.window();
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        root.put("group", request.group());
        root.put("window", request.options().window());
        root.put("centered", request.options().centered());
        putResult(root, result);
        List<Path> inputs = new ArrayList<>(List.of(layout.manifest()));
        window.steps().forEach(step -> inputs.add(layout.checkpoint(step)));
        Map<String, String> config = new TreeMap<>(Map.of("explain.directions", Integer.toString(request.directions()),
                "explain.permutations", Integer.toString(request.permutations()),
                "explain.random-planes", Integer.toString(request.planes()),
                "explain.epsilon-factor", Double.toString(FunctionalModes.EPSILON_FACTOR)));
        root.set("provenance", ProvenanceJson.of(Provenance.now(SedgeVersion.current(), Map.of(), config, 0,
                InputDigests.of(layout.root(), inputs))));
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage()
                    + "; check that the run directory is writable and has space", e);
        }
        VersionedJson.write(file, root);
    }
}
