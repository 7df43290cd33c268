package dev.sedge.core.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.Provenance;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.NameGlob;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * {@code sedge explain}: what the edge directions of one window of a trained run compute
 * (docs/science.md, "Probe points and functional modes"). The window's v_1..v_n are recomputed exactly
 * from the run's checkpoints ({@link EdgeWindow}); the model is rebuilt at the window's step
 * ({@link CheckpointModel}); each direction's functional mode f_k over every input of the task
 * ({@link FunctionalModes}) is scored in every basis that applies to the task's domain, best first,
 * with a permutation p-value ({@link BasisScore}), and its change Δh_k fitted by the composition probe
 * where the task is mod-p arithmetic over (a, b) ({@link CompositionProbe}); the test accuracy and loss
 * lost by removing the edge {v_1, v_2}, the bulk {v_3, v_4} and random planes from the group
 * ({@link Ablation}); along each direction the test accuracy, loss and KL of the outputs, and the
 * loss's curvature ({@link PerturbationCurve}); and how much of the window's motion along each direction
 * the gradient made and how much weight decay ({@link GradientSplit}); and, on a task with a target per input
 * position, how well the probe point's activations predict it ({@link TargetProbes}). The result is written to
 * {@code explain/step-NNNNNNNNN.json} (format below; docs/explain.md describes every field) and returned.
 *
 * <pre>{@code
 * {"format_version": 1, "group", "window", "centered", "step", "window_steps": [..], "probe", "epsilon",
 *  "sigma": [..], "directions": [{"index", "sigma", "curvature", "bases": [{"basis", "label",
 *  "concentration", "uniform", "lift", "peak", "top": [..], "p_value", "permutations", "shares"?}],
 *  "perturbation": {"epsilon": [..], "accuracy": [..], "loss": [..], "kl": [..]},
 *  "split"?: {"gradient_share", "aligned"},
 *  "probe"?: {"additive", "multiplicative", "combined", "cross_terms", "synergy"}}], "not_applicable": [..],
 *  "ablation": {"accuracy", "loss", "edge": {"accuracy", "loss"}, "bulk": {..} | null, "random": [{..}]},
 *  "probes"?: {"target", "point", "width", "train", "test", "components", "linear", "quadratic", "mlp"},
 *  "split": {"source", "reason"?}, "provenance": {..}}
 * }</pre>
 */
public final class ExplainJob {

    /** The format of the files this job writes. */
    public static final int FORMAT_VERSION = 1;

    /** Shuffles per p-value unless told otherwise: a p-value floor of 1/200. */
    public static final int DEFAULT_PERMUTATIONS = 199;

    /** The scope of the bases' settings: {@code basis.NAME.KEY}. */
    public static final String BASIS_SCOPE = "basis";

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
     * @param settings     the bases' configuration, {@code basis.NAME.KEY} → value (e.g.
     *                     {@code basis.fourier.coordinate} → {@code a+b}); every other key at its default
     * @param permutations shuffles per p-value, ≥ 1
     * @param planes       random planes to ablate beside the edge and the bulk, ≥ 0
     */
    public record Request(Path run, long step, String group, SpectralOptions options, int directions, String probe,
                         List<String> bases, Map<String, String> settings, int permutations, int planes) {
        public Request {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(probe, "probe");
            bases = List.copyOf(bases);
            settings = Collections.unmodifiableMap(new TreeMap<>(settings));
            for (String key : settings.keySet()) {
                if (!key.startsWith(BASIS_SCOPE + ".") || key.chars().filter(c -> c == '.').count() != 2) {
                    throw new ConfigException("explain takes basis settings only, basis.NAME.KEY=VALUE (e.g."
                            + " basis.fourier.coordinate=a+b), found '" + key + "'");
                }
            }
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
     * @param curve  the test accuracy, loss and KL along ε v_k, and the curvature of the loss
     * @param probe  the composition probe of Δh_k; empty where the domain has no mod-p (a, b)
     * @param split  the gradient / weight-decay split on v_k; empty when the run has none
     * @param mode   f_k, the functional mode: one value per input of the task's domain, in its order
     * @param byOutput f̄_k[q], the mean of f_k over the inputs whose output y is q, q = 0 … m − 1 (NaN where no
     *               input has it); empty when the domain has no coordinate y
     */
    public record Direction(int index, double sigma, List<BasisScore> scores, PerturbationCurve curve,
                            Optional<CompositionProbe> probe, Optional<GradientSplit.Share> split, List<Double> mode,
                            List<Double> byOutput) {
        public Direction {
            scores = List.copyOf(scores);
            mode = List.copyOf(mode);
            byOutput = List.copyOf(byOutput);
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(split, "split");
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
     * @param split         where the gradient / weight-decay split came from (or why there is none)
     * @param grid          how the domain's inputs tile a square, when they are the pairs (a, b)
     * @param probes        the probe point's activations probed onto the task's per-position targets; empty
     *                      unless the task has one target per input position (Dyck-1)
     */
    public record Result(Path file, EdgeWindow window, String probe, double epsilon, List<Direction> directions,
                         List<String> notApplicable, Ablation ablation, GradientSplit split, Optional<Grid> grid,
                         Optional<TargetProbes> probes) {
        public Result {
            directions = List.copyOf(directions);
            notApplicable = List.copyOf(notApplicable);
            Objects.requireNonNull(grid, "grid");
            Objects.requireNonNull(probes, "probes");
        }
    }

    /**
     * The inputs of a domain of pairs (a, b), both mod {@code size}, in a-major order (input i is a = i / size,
     * b = i % size): a mode is then a {@code size × size} image (the report's heatmap).
     *
     * @param rows    the coordinate down the rows, {@code a}
     * @param columns the coordinate across, {@code b}
     */
    public record Grid(String rows, String columns, int size) {

        /** The grid of {@code domain}, when its inputs are every (a, b) in a-major order. */
        static Optional<Grid> of(InputDomain domain) {
            if (!domain.hasCoordinate("a") || !domain.hasCoordinate("b")) {
                return Optional.empty();
            }
            int p = domain.modulus("a");
            if (domain.modulus("b") != p || domain.size() != p * p) {
                return Optional.empty();
            }
            int[] a = domain.values("a");
            int[] b = domain.values("b");
            for (int i = 0; i < a.length; i++) {
                if (a[i] != i / p || b[i] != i % p) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Grid("a", "b", p));
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
        try (RunLock lock = RunLock.acquire(request.run(), "sedge explain");
             InputDigests.Background digests = new InputDigests.Background()) {
            return explain(request, lock.layout(), progress, digests);
        }
    }

    /**
     * @param digests digests the inputs (run.json, the window's checkpoints, their weight-decay records
     *                when the split reads them) on a thread of its own, each right after it is read
     */
    private Result explain(Request request, RunLayout layout, Progress progress, InputDigests.Background digests) {
        List<PluginEntry> chosenBases = basisEntries(request.bases()); // an unknown name fails before any work
        Map<String, PluginConfig> basisConfigs = basisConfigs(chosenBases, request.settings()); // and a bad setting
        int n = request.directions();
        int total = 2 * n + 2;
        progress.update(0, total, "window at step " + request.step());
        NameGlob group = GroupReader.group(layout.root(), request.group());
        CheckpointFormats formats = CheckpointFormats.of(registry);
        EdgeWindow window = EdgeWindow.compute(layout, group, request.options(), request.step(), n, formats);
        GradientSplit split = GradientSplit.of(layout, window, group, formats);
        digests.submit(layout.manifest());
        window.steps().forEach(step -> digests.submit(layout.checkpoint(step)));
        if (split.source().equals(GradientSplit.RECORDED)) {
            window.steps().stream().skip(1).forEach(step -> digests.submit(layout.decayPart(step)));
        }
        double[][] modes = new double[window.count()][];
        List<Optional<CompositionProbe>> compositions = new ArrayList<>();
        String probe;
        double epsilon;
        Ablation ablation;
        List<PerturbationCurve> curves = new ArrayList<>();
        Map<String, Basis> bases = new LinkedHashMap<>();
        List<String> notApplicable = new ArrayList<>();
        Optional<Grid> grid;
        Optional<InputDomain> outputs;
        Optional<TargetProbes> probes;
        try (CheckpointModel model = CheckpointModel.open(layout.root(), registry, window.step())) {
            probe = request.probe().isEmpty() ? model.outputs().getFirst() : request.probe();
            GroupValues theta = GroupValues.of(model.checkpoint(), window.tensors());
            epsilon = FunctionalModes.epsilon(theta);
            InputDomain domain = model.data().domain();
            grid = Grid.of(domain);
            outputs = domain.hasCoordinate("y") ? Optional.of(domain) : Optional.empty();
            for (PluginEntry entry : chosenBases) {
                FunctionalBasis plugin = (FunctionalBasis) entry.plugin();
                PluginCall.create("basis '" + plugin.name() + "'", () -> plugin.create(
                        basisConfigs.get(plugin.name()), domain))
                        .ifPresentOrElse(b -> bases.put(plugin.name(), b), () -> notApplicable.add(plugin.name()));
            }
            int[] inputs = model.data().modelInputs();
            Activations base = model.apply(theta.parameters(), inputs, probe);
            progress.update(0, total, "probes of " + probe + " onto the task's targets");
            probes = TargetProbes.of(model.data(), base, probe);
            Optional<CompositionProbe.Features> features = CompositionProbe.features(domain);
            for (int k = 1; k <= window.count(); k++) {
                progress.update(k, total, "functional mode of v_" + k);
                double[][] change = FunctionalModes.change(model, theta, base, window, k, inputs, probe, epsilon);
                modes[k - 1] = FunctionalModes.mode(change);
                compositions.add(features.map(f -> f.fit(change)));
            }
            progress.update(n + 1, total, "ablation and perturbation curves");
            TestSplit test = TestSplit.of(model);
            ablation = Ablation.of(test, theta, window, request.planes(), window.step());
            for (int k = 1; k <= window.count(); k++) {
                curves.add(PerturbationCurve.of(test, theta, window, k));
            }
        }
        double[] sigma = window.sigma();
        List<Direction> directions = new ArrayList<>();
        for (int k = 1; k <= window.count(); k++) {
            progress.update(n + 1 + k, total, bases.isEmpty() ? "v_" + k + " (no basis applies to this task)"
                    : "scoring v_" + k + " in " + bases.size() + (bases.size() == 1 ? " basis" : " bases"));
            List<BasisScore> scores = score(bases, modes[k - 1], k, request.permutations());
            directions.add(new Direction(k, sigma[k - 1], scores, curves.get(k - 1), compositions.get(k - 1),
                    split.shares().isEmpty() ? Optional.empty() : Optional.of(split.shares().get(k - 1)),
                    Arrays.stream(modes[k - 1]).boxed().toList(), byOutput(modes[k - 1], outputs)));
        }
        Path file = layout.explanation(window.step());
        Result result = new Result(file, window, probe, epsilon, directions, notApplicable, ablation, split, grid,
                probes);
        write(result, request, digests.await(layout.root()));
        progress.update(total, total, "done");
        return result;
    }

    /**
     * f_k scored in every basis, best first. The bases are scored at once, on the machine's cores (a
     * basis is thread-safe, and each score depends on its own seed only: the result is the same as one
     * after the other); the first failure is rethrown as the basis threw it.
     */
    private static List<BasisScore> score(Map<String, Basis> bases, double[] f, int k, int permutations) {
        List<Callable<BasisScore>> calls = new ArrayList<>();
        bases.forEach((name, basis) -> calls.add(() -> PluginCall.run("basis '" + name + "' projecting v_" + k,
                () -> BasisScore.of(name, basis, f, permutations, k))));
        List<BasisScore> scores = new ArrayList<>();
        try {
            for (Future<BasisScore> future : ForkJoinPool.commonPool().invokeAll(calls)) {
                scores.add(future.get());
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring v_" + k, e);
        }
        scores.sort(BasisScore.BEST_FIRST);
        return scores;
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
     * Each chosen basis's configuration from {@code settings}.
     *
     * @throws ConfigException for a setting of a basis not chosen, or one its plugin does not take
     */
    private static Map<String, PluginConfig> basisConfigs(List<PluginEntry> chosen, Map<String, String> settings) {
        Map<String, Map<String, String>> raw = new LinkedHashMap<>();
        chosen.forEach(e -> raw.put(e.name(), new TreeMap<>()));
        settings.forEach((key, value) -> {
            String[] parts = key.split("\\.", 3);
            Map<String, String> of = raw.get(parts[1]);
            if (of == null) {
                throw new ConfigException("'" + key + "' sets basis '" + parts[1] + "', which is not scored here; the"
                        + " bases are " + raw.keySet());
            }
            of.put(parts[2], value);
        });
        Map<String, PluginConfig> configs = new LinkedHashMap<>();
        for (PluginEntry entry : chosen) {
            FunctionalBasis plugin = (FunctionalBasis) entry.plugin();
            configs.put(entry.name(), PluginConfig.of(BASIS_SCOPE + "." + entry.name(), plugin.descriptor(),
                    raw.get(entry.name())));
        }
        return configs;
    }

    /**
     * Adds what was found to {@code root}, as this job's file has it: {@code step}, {@code window_steps},
     * {@code probe}, {@code epsilon}, {@code sigma}, {@code directions}, {@code not_applicable},
     * {@code ablation} and, when there are any, {@code probes}. The one rendering of a result, for the file and
     * for {@code --json}.
     */
    public static void putResult(ObjectNode root, Result result) {
        root.put("step", result.window().step());
        result.window().steps().forEach(root.putArray("window_steps")::add);
        root.put("probe", result.probe());
        root.put("epsilon", result.epsilon());
        numbers(root.putArray("sigma"), result.window().sigma());
        putDirections(root.putArray("directions"), result.directions());
        result.grid().ifPresent(g -> root.putObject("grid").put("rows", g.rows()).put("columns", g.columns())
                .put("size", g.size()));
        result.notApplicable().forEach(root.putArray("not_applicable")::add);
        putAblation(root.putObject("ablation"), result.ablation());
        result.probes().ifPresent(p -> root.putObject("probes").put("target", p.target()).put("point", p.point())
                .put("width", p.width()).put("train", p.train()).put("test", p.test())
                .put("components", p.components()).put("linear", p.linear()).put("quadratic", p.quadratic())
                .put("mlp", p.mlp()));
        ObjectNode split = root.putObject("split").put("source", result.split().source());
        if (!result.split().reason().isEmpty()) {
            split.put("reason", result.split().reason());
        }
    }

    /** f̄[q]: the mean of {@code f} over the inputs whose coordinate y is q; empty without a y. */
    private static List<Double> byOutput(double[] f, Optional<InputDomain> domain) {
        if (domain.isEmpty()) {
            return List.of();
        }
        int m = domain.get().modulus("y");
        int[] y = domain.get().values("y");
        double[] sum = new double[m];
        int[] count = new int[m];
        for (int i = 0; i < f.length; i++) {
            sum[y[i]] += f[i];
            count[y[i]]++;
        }
        List<Double> out = new ArrayList<>(m);
        for (int q = 0; q < m; q++) {
            out.add(count[q] == 0 ? Double.NaN : sum[q] / count[q]);
        }
        return out;
    }

    /** A basis's power per mode is written when it has at most this many modes (the 1-D bases; not 2-D Fourier). */
    static final int POWER_MODES = 512;

    /**
     * Adds each direction to {@code array} as this job's file has it, {@code {"index", "sigma", "bases":
     * [{"basis", "label", "concentration", "uniform", "lift", "peak", "top", "p_value", "permutations",
     * "power"?}], "perturbation": {"epsilon": [..], "accuracy": [..], "kl": [..]}, "mode": [..]}}.
     */
    private static void putDirections(ArrayNode array, List<Direction> directions) {
        for (Direction d : directions) {
            ObjectNode node = array.addObject().put("index", d.index()).put("sigma", d.sigma())
                    .put("curvature", d.curve().curvature());
            ArrayNode scores = node.putArray("bases");
            for (BasisScore s : d.scores()) {
                ObjectNode n = scores.addObject().put("basis", s.basis()).put("label", s.label())
                        .put("concentration", s.concentration()).put("uniform", s.uniform()).put("lift", s.lift())
                        .put("peak", s.peak());
                s.top().forEach(n.putArray("top")::add);
                n.put("p_value", s.pValue()).put("permutations", s.permutations());
                if (!s.shares().isEmpty()) {
                    ObjectNode shares = n.putObject("shares");
                    s.shares().forEach(shares::put);
                }
                if (s.spectrum().size() <= POWER_MODES) {
                    ObjectNode power = n.putObject("power");
                    s.spectrum().labels().forEach(power.putArray("modes")::add);
                    numbers(power.putArray("values"), s.spectrum().power());
                }
            }
            ObjectNode curve = node.putObject("perturbation");
            numbers(curve.putArray("epsilon"), d.curve().epsilon());
            numbers(curve.putArray("accuracy"), d.curve().accuracy());
            numbers(curve.putArray("loss"), d.curve().loss());
            numbers(curve.putArray("kl"), d.curve().kl());
            ArrayNode mode = node.putArray("mode");
            d.mode().forEach(mode::add);
            if (!d.byOutput().isEmpty()) {
                numbers(node.putArray("mode_by_y"), d.byOutput().stream().mapToDouble(Double::doubleValue).toArray());
            }
            d.split().ifPresent(sp -> {
                ObjectNode n = node.putObject("split");
                if (Double.isNaN(sp.gradient())) {
                    n.putNull("gradient_share");
                } else {
                    n.put("gradient_share", sp.gradient());
                }
                n.put("aligned", sp.aligned());
            });
            d.probe().ifPresent(p -> node.putObject("probe").put("additive", p.additive())
                    .put("multiplicative", p.multiplicative()).put("combined", p.combined())
                    .put("cross_terms", p.crossTerms()).put("synergy", p.synergy()));
        }
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    /**
     * Adds {@code ablation} to {@code node}: {@code accuracy}, {@code loss}, and the changes {@code edge},
     * {@code bulk} (null without) and {@code random}, each {@code {"accuracy", "loss"}}.
     */
    private static void putAblation(ObjectNode node, Ablation ablation) {
        node.put("accuracy", ablation.accuracy()).put("loss", ablation.loss());
        putChange(node, "edge", ablation.edge());
        putChange(node, "bulk", ablation.bulk());
        ArrayNode random = node.putArray("random");
        ablation.random().forEach(c -> random.addObject().put("accuracy", c.accuracy()).put("loss", c.loss()));
    }

    private static void putChange(ObjectNode node, String name, Optional<Ablation.Change> change) {
        change.ifPresentOrElse(c -> node.putObject(name).put("accuracy", c.accuracy()).put("loss", c.loss()),
                () -> node.putNull(name));
    }

    /** The settings a result's file records in {@code provenance.config}: the basis settings and the job's. */
    private static Map<String, String> config(Request request) {
        Map<String, String> config = new TreeMap<>(request.settings());
        config.putAll(Map.of("explain.directions", Integer.toString(request.directions()),
                "explain.permutations", Integer.toString(request.permutations()),
                "explain.random-planes", Integer.toString(request.planes()),
                "explain.epsilon-factor", Double.toString(FunctionalModes.EPSILON_FACTOR)));
        return config;
    }

    /**
     * The file this job wrote for {@code request}, if it is there: the run's {@code explain/step-N.json}
     * with the request's group, window, centering, probe (when named) and settings. What lets a caller
     * that explains many runs ({@code sedge reproduce functional-modes}) resume without recomputing.
     * The bases scored are not recorded apart from their settings: a file is taken as it is.
     *
     * @throws dev.sedge.api.DataFormatException if the file exists and is not an explain file this sedge reads
     */
    public static Optional<JsonNode> written(Request request) {
        Path file = new RunLayout(request.run()).explanation(request.step());
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root = VersionedJson.read(file, "explain file", FORMAT_VERSION);
        Map<String, String> recorded = new TreeMap<>();
        root.path("provenance").path("config").properties().forEach(e -> recorded.put(e.getKey(), e.getValue().asText()));
        boolean same = root.path("group").asText().equals(request.group())
                && root.path("window").asInt() == request.options().window()
                && root.path("centered").asBoolean() == request.options().centered()
                && root.path("step").asLong() == request.step()
                && (request.probe().isEmpty() || root.path("probe").asText().equals(request.probe()))
                && recorded.equals(config(request));
        return same ? Optional.of(root) : Optional.empty();
    }

    /** Writes the result's file, with {@code inputs} (path → SHA-256) in its provenance. */
    private static void write(Result result, Request request, Map<String, String> inputs) {
        Path file = result.file();
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        root.put("group", request.group());
        root.put("window", request.options().window());
        root.put("centered", request.options().centered());
        putResult(root, result);
        root.set("provenance", ProvenanceJson.of(Provenance.now(SedgeVersion.current(), Map.of(), config(request), 0,
                inputs)));
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage()
                    + "; check that the run directory is writable and has space", e);
        }
        VersionedJson.write(file, root);
    }
}
