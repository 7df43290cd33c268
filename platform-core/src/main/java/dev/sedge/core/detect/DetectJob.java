package dev.sedge.core.detect;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.core.Progress;
import dev.sedge.core.explain.EdgeHistory;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.plugin.PluginKind;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs edge detectors over a stored run: reads {@code spectrum.csv} (computing it first from the
 * checkpoints with {@link SpectrumJob} when it is missing), feeds every window, in step order, to
 * each chosen detector, and merges their summaries into {@code events.json}.
 *
 * <p>What a detector sees: each window's singular values (σ convention), and as metrics the latest
 * value at or before the window's step of every {@code metrics.csv} column ({@code test_acc},
 * {@code train_acc}, {@code test_loss}, {@code train_loss}, then any further column; NaN cells are
 * skipped, so a metric is absent until its first recorded value), plus {@value #DIMENSION_METRIC}
 * = p, the length of each update (the sketch dimension when sketched), when spectrum.csv records it.
 * Without a metrics.csv the only metric is {@value #DIMENSION_METRIC}. A detector that reads host metrics
 * ({@link EdgeDetector#hostMetrics}) gets them too: {@code edge_rotation_deg} from spectrum.csv, and
 * {@code edge_grad_share} recomputed from the checkpoints ({@link EdgeHistory}) for the spectrum's group
 * ({@code group} of the request), only on the windows that have one.
 *
 * <p>Everything the user chose is checked before anything is read or computed: unknown detector,
 * unknown key (a {@link ConfigException} listing the known keys), value out of range. The events
 * file is written once, atomically, at the end: this job's detectors replace their earlier
 * summaries in place, every other detector's summary is kept, new ones are appended. A failure
 * leaves events.json as it was. Stateless apart from the registry: each {@link #run} is
 * independent, confined to the calling thread.
 */
public final class DetectJob {

    /** What the entries this job writes say made them. */
    public static final String TOOL = "sedge detect";

    /** The host metrics this job computes when a detector reads them ({@link EdgeDetector#hostMetrics}). */
    static final Set<String> HOST_METRICS = Set.of(SpectralWindow.EDGE_GRADIENT_SHARE, SpectralWindow.EDGE_ROTATION);

    /** The metric under which the host passes p, the length of each update. */
    public static final String DIMENSION_METRIC = SpectralWindow.DIMENSION_METRIC;

    /**
     * What to run.
     *
     * @param run       a run directory (or any folder with a spectrum.csv or checkpoints)
     * @param detectors the detectors, in the order to run and report them; at least one, names unique
     * @param group     when the spectrum must be computed: a parameter group of the run or a tensor-name
     *                  glob; null for {@code *}, every tensor
     * @param options   when the spectrum must be computed: window, stride, centering, sketch; null if
     *                  it must not be (then a missing spectrum.csv is an error)
     */
    public record Request(Path run, List<DetectorChoice> detectors, String group, SpectralOptions options) {

        public Request {
            Objects.requireNonNull(run, "run");
            detectors = List.copyOf(detectors);
            if (detectors.isEmpty()) {
                throw new ConfigException("no detector chosen for " + run + "; name at least one (see sedge plugins)");
            }
            Set<String> names = new HashSet<>();
            for (DetectorChoice choice : detectors) {
                if (!names.add(choice.name())) {
                    throw new ConfigException("detector '" + choice.name() + "' is chosen twice; choose each once");
                }
            }
        }

        /** Runs {@code detectors} over an existing spectrum.csv; never computes one. */
        public static Request of(Path run, List<DetectorChoice> detectors) {
            return new Request(run, detectors, null, null);
        }
    }

    /**
     * What was done.
     *
     * @param events           the events.json written
     * @param spectrum         the spectrum.csv read
     * @param spectrumComputed whether it was computed by this job (it was missing)
     * @param windows          how many windows each detector saw
     * @param summaries        this job's summaries, in the order of the request
     */
    public record Result(Path events, Path spectrum, boolean spectrumComputed, int windows,
                         List<DetectorSummary> summaries) {
        public Result {
            summaries = List.copyOf(summaries);
        }
    }

    private final PluginRegistry registry;

    /** @param registry where detectors (and, to compute a spectrum, checkpoint formats) are looked up */
    public DetectJob(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Runs the job.
     *
     * @param progress told about each checkpoint (if the spectrum is computed, detail
     *                 {@code spectrum: step N}) and then each window ({@code detect: step N})
     * @throws ConfigException     for an unknown detector or key, a value out of range, or a missing
     *                             spectrum.csv when no spectral options were given
     * @throws DataFormatException for a missing run folder, a spectrum without windows, or an
     *                             unreadable spectrum, metrics or events file (an events.json from a
     *                             newer sedge is left alone)
     * @throws PluginException     when a detector throws, naming it and the step ({@link GuardedRun})
     */
    public Result run(Request request, Progress progress) {
        Map<String, GuardedRun> runs = open(request.detectors());
        Map<String, Set<String>> hostMetrics = hostMetrics(request.detectors());
        Path root = request.run();
        if (!Files.isDirectory(root)) {
            throw new DataFormatException("run directory " + root + " does not exist or is not a folder");
        }
        boolean computed = !Files.exists(new RunLayout(root).spectrum());
        if (computed) {
            compute(request, new RunLayout(root), progress); // takes and releases the run's lock itself
        }
        try (RunLock lock = RunLock.acquire(root, "sedge detect")) {
            return detect(runs, hostMetrics, request, lock.layout(), computed, progress);
        }
    }

    private Result detect(Map<String, GuardedRun> runs, Map<String, Set<String>> hostMetrics, Request request,
                          RunLayout layout, boolean computed, Progress progress) {
        List<EventsFile.Entry> earlier = Files.exists(layout.events()) ? EventsFile.readEntries(layout.events())
                : List.of();
        MetricsTable metrics = Files.exists(layout.metrics()) ? MetricsCsv.read(layout.metrics()) : null;
        List<WindowSpectrum> windows = SpectrumCsv.read(layout.spectrum());
        if (windows.isEmpty()) {
            throw new DataFormatException(layout.spectrum() + " holds no window: there is nothing to detect."
                    + " events.json was left as it was; compute a spectrum with windows first (sedge spectrum)");
        }
        List<String> splitters = hostMetrics.entrySet().stream()
                .filter(e -> e.getValue().contains(SpectralWindow.EDGE_GRADIENT_SHARE)).map(Map.Entry::getKey).toList();
        Map<Long, Double> shares = Map.of();
        if (!splitters.isEmpty()) {
            try {
                shares = EdgeHistory.gradientShares(layout, GroupReader.group(layout.root(), groupOf(request)), windows,
                        CheckpointFormats.of(registry), progress);
            } catch (DataFormatException e) {
                throw new DataFormatException("detector " + splitters.getFirst() + " reads the gradient share on v_1"
                        + " of each window, and " + e.getMessage());
            }
        }
        boolean rotations = hostMetrics.values().stream().anyMatch(m -> m.contains(SpectralWindow.EDGE_ROTATION));
        for (int i = 0; i < windows.size(); i++) {
            WindowSpectrum window = windows.get(i);
            progress.update(i, windows.size(), "detect: step " + window.step());
            Map<String, Double> seenMetrics = new LinkedHashMap<>(metricsAt(metrics, window));
            if (rotations && !Double.isNaN(window.rotationDegrees(1))) { // NaN: the first window, or an old file
                seenMetrics.put(SpectralWindow.EDGE_ROTATION, window.rotationDegrees(1));
            }
            Double share = shares.get(window.step());
            if (share != null && !share.isNaN()) {
                seenMetrics.put(SpectralWindow.EDGE_GRADIENT_SHARE, share);
            }
            SpectralWindow seen = window.toSpectralWindow(seenMetrics);
            for (GuardedRun run : runs.values()) {
                run.accept(seen);
            }
        }
        List<DetectorSummary> summaries = new ArrayList<>();
        List<EventsFile.Entry> fresh = new ArrayList<>();
        List<Path> read = new ArrayList<>(List.of(layout.spectrum()));
        if (metrics != null) {
            read.add(layout.metrics());
        }
        Map<String, String> inputs = InputDigests.of(layout.root(), read);
        Map<String, String> splitInputs = splitters.isEmpty() ? inputs : InputDigests.of(layout.root(),
                splitInputs(layout, read));
        for (GuardedRun run : runs.values()) {
            DetectorSummary summary = run.finish();
            summaries.add(summary);
            EventsFile.Entry entry = run.entry(summary, TOOL);
            fresh.add(splitters.contains(run.detector()) ? entry.withInputs(splitInputs).withGroup(groupOf(request))
                    : entry.withInputs(inputs));
        }
        EventsFile.writeEntries(layout.events(), merge(earlier, fresh));
        progress.update(windows.size(), windows.size(), "done");
        return new Result(layout.events(), layout.spectrum(), computed, windows.size(), summaries);
    }

    /** Looks every detector up and opens it with its checked configuration, before any work. */
    private Map<String, GuardedRun> open(List<DetectorChoice> choices) {
        Map<String, GuardedRun> runs = new LinkedHashMap<>();
        for (DetectorChoice choice : choices) {
            runs.put(choice.name(), GuardedRun.open(registry.get(EdgeDetector.class, choice.name()), config(choice)));
        }
        return runs;
    }

    /** The checked configuration of {@code choice}, defaults filled in. */
    private PluginConfig config(DetectorChoice choice) {
        return PluginConfig.of(PluginKind.DETECTOR.id() + "." + choice.name(),
                registry.get(EdgeDetector.class, choice.name()).descriptor(), choice.settings());
    }

    /**
     * The summary of the request's first detector that {@value #TOOL} wrote in the run's events.json with the same
     * settings (defaults filled in) and, for a detector that reads grad% on v_1, on the same group: what a caller
     * about to run that detection can read instead. An entry from before entries recorded their group is not
     * reused for such a detector.
     *
     * @throws ConfigException as {@link #run} for an unknown detector or setting
     */
    public Optional<DetectorSummary> written(Request request) {
        Path events = new RunLayout(request.run()).events();
        if (!Files.exists(events)) {
            return Optional.empty();
        }
        DetectorChoice choice = request.detectors().getFirst();
        Map<String, String> settings = EventsFile.Entry.settingsOf(config(choice).values());
        boolean split = hostMetrics(List.of(choice)).get(choice.name()).contains(SpectralWindow.EDGE_GRADIENT_SHARE);
        return EventsFile.readEntries(events).stream()
                .filter(e -> e.detector().equals(choice.name()) && e.source().startsWith(TOOL)
                        && e.settings().equals(settings) && (!split || e.group().equals(groupOf(request))))
                .map(EventsFile.Entry::summary).findFirst();
    }

    /**
     * The host metrics each detector reads.
     *
     * @throws ConfigException for a host metric this job does not compute
     */
    private Map<String, Set<String>> hostMetrics(List<DetectorChoice> choices) {
        Map<String, Set<String>> reads = new LinkedHashMap<>();
        for (DetectorChoice choice : choices) {
            EdgeDetector detector = registry.get(EdgeDetector.class, choice.name());
            Set<String> metrics = Set.copyOf(PluginCall.run("detector '" + choice.name() + "' naming its host metrics",
                    detector::hostMetrics));
            for (String metric : metrics) {
                if (!HOST_METRICS.contains(metric)) {
                    throw new ConfigException("detector " + choice.name() + " reads the window metric '" + metric
                            + "', which sedge detect does not compute; it computes " + HOST_METRICS);
                }
            }
            reads.put(choice.name(), metrics);
        }
        return reads;
    }

    /** {@code read} and the checkpoints and weight-decay parts the gradient shares are computed from. */
    private static List<Path> splitInputs(RunLayout layout, List<Path> read) {
        List<Path> files = new ArrayList<>(read);
        for (long step : layout.checkpointSteps()) {
            files.add(layout.checkpoint(step));
            if (Files.exists(layout.decayPart(step))) {
                files.add(layout.decayPart(step));
            }
        }
        return files;
    }

    /** The group the spectrum is of: the request's, else every tensor. */
    private static String groupOf(Request request) {
        return request.group() != null ? request.group() : "*";
    }

    private void compute(Request request, RunLayout layout, Progress progress) {
        SpectralOptions options = request.options();
        if (options == null) {
            throw new ConfigException("run " + layout.root() + " has no spectrum.csv and no spectral options were "
                    + "given to compute one; give a window (and group) or run sedge spectrum on it first");
        }
        String group = groupOf(request);
        new SpectrumJob(CheckpointFormats.of(registry)).run(
                new SpectrumJob.Request(layout.root(), group, options, layout.spectrum()),
                (done, total, detail) -> progress.update(done, total, "spectrum: " + detail));
    }

    /** The latest value of every metrics column at or before the window's step. */
    private static Map<String, Double> metricsAt(MetricsTable metrics, WindowSpectrum window) {
        return metrics == null ? Map.of() : metrics.latestAt(window.step());
    }

    /** {@code earlier} with each entry of {@code fresh} replacing the one of the same detector, or appended. */
    static List<EventsFile.Entry> merge(List<EventsFile.Entry> earlier, List<EventsFile.Entry> fresh) {
        Map<String, EventsFile.Entry> merged = new LinkedHashMap<>();
        earlier.forEach(e -> merged.put(e.detector(), e));
        fresh.forEach(e -> merged.put(e.detector(), e));
        return List.copyOf(merged.values());
    }
}
