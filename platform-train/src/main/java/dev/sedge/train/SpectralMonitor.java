package dev.sedge.train;

import dev.sedge.api.NumericException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.detect.GuardedRun;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.spectral.SnapshotBatch;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live spectral monitor: group snapshots → rolling windows ({@link SnapshotSpectralEngine}) → each
 * live {@link dev.sedge.api.detect.DetectorRun}; windows go to {@code spectrum.csv} and to the other listeners
 * ({@link TrainingListener#onWindow}), events to {@code events.json}.
 *
 * <p>Batches: the snapshots are handed to the engine in batches of up to {@link #MOST_PENDING}, so that
 * one pass over the W + stride kept snapshots serves several updates (one update at a time, that pass
 * is most of the monitor's cost: it reads W + stride snapshots, memory-bound, for every step). A batch
 * goes in when full, when its oldest snapshot has waited {@link #MOST_LAG_NANOS}, at every checkpoint
 * and at the end. The windows are bit for bit those of one update at a time, whatever the batches
 * (see {@link SnapshotSpectralEngine}), and each is judged by the detectors with the metrics as they
 * stood at its own step; only when they are announced moves: a window can come up to a batch (at most
 * about a second) after its step.
 *
 * <p>Files: {@code spectrum.csv} is rewritten whole and atomically at every checkpoint and at the end
 * (also when the run fails), so it always matches the last checkpoint or the end; the rows are kept
 * in memory meanwhile (about 1 KB per window at W = 20). {@code events.json} is rewritten whenever an
 * event fires, at checkpoints and at the end, when it also carries the detectors' summaries.
 *
 * <p>Resume: at each checkpoint the monitor saves the last W + stride snapshots its engine keeps
 * ({@link SnapshotHistory}); a resumed monitor replays them into a fresh engine, which is then in
 * exactly the state it had, re-reads the windows up to the checkpoint from {@code spectrum.csv}, and
 * replays them (with the metrics of {@code metrics.csv}) into fresh detector runs. Confined to the
 * training thread.
 */
final class SpectralMonitor implements TrainingListener {

    /** The most snapshots handed to the engine at once. */
    static final int MOST_PENDING = 8;
    /** The longest a snapshot waits for its batch: 1 s. */
    private static final long MOST_LAG_NANOS = 1_000_000_000L;

    /** What the entries of events.json this monitor writes say made them. */
    static final String TOOL = "sedge train (live)";

    private final SpectralOptions options;
    private final int dimension;
    private final Map<String, GuardedRun> detectors;
    private final TrainingListener downstream;
    private final Map<String, List<EdgeEvent>> events = new LinkedHashMap<>();
    private final List<WindowSpectrum> windows = new ArrayList<>();
    private SnapshotSpectralEngine engine;
    private SnapshotBatch batch;
    /** The metrics as they stood at each snapshot of the batch, by step: what its window is judged with. */
    private final LinkedHashMap<Long, Map<String, Double>> pendingMetrics = new LinkedHashMap<>();
    /** When the batch's first snapshot came ({@link System#nanoTime}). */
    private long oldestPending;
    /** Snapshots the run took before this engine's first: those of the checkpoint resumed from, less the replayed. */
    private long snapshotsBefore;
    /** The latest non-NaN value of every metric so far: the same rule as {@link MetricsTable#latestAt}. */
    private final Map<String, Double> latestMetrics = new LinkedHashMap<>();
    private RunLayout layout;
    private long lastCheckpoint = -1;
    private List<DetectorSummary> summaries;

    /**
     * @param options    the engine's options (window, stride, centering)
     * @param dimension  p, the group's size
     * @param detectors  fresh detector runs by name, in order; consumed by this monitor
     * @param downstream receives every window and its events (the other listeners)
     */
    SpectralMonitor(SpectralOptions options, int dimension, Map<String, GuardedRun> detectors,
                    TrainingListener downstream) {
        this.options = options;
        this.dimension = dimension;
        this.detectors = detectors;
        this.downstream = downstream;
        detectors.keySet().forEach(name -> events.put(name, new ArrayList<>()));
    }

    @Override
    public void onStart(RunStart start) {
        layout = start.layout();
        engine = newEngine();
        batch = engine.newBatch();
        SnapshotSpectralEngine.warmUpOnce(options, engine.batchSize());
        if (start.resumed()) {
            restore(start.firstStep());
        }
    }

    private void restore(long step) {
        SnapshotHistory history = SnapshotHistory.read(CheckpointFiles.monitor(layout, step),
                options.window() + options.stride(), dimension);
        List<SnapshotSpectralEngine.Kept> replay = history.replay(options.window(), options.stride());
        snapshotsBefore = history.taken() - replay.size();
        for (SnapshotSpectralEngine.Kept held : replay) {
            batch.add(held.step(), held.rate(), "", values -> System.arraycopy(held.theta(), 0, values, 0, dimension));
            if (batch.isFull()) {
                engine.accept(batch, window -> { });
            }
        }
        engine.accept(batch, window -> { }); // the windows up to the checkpoint are read from spectrum.csv
        lastCheckpoint = step;
        MetricsTable metrics = Files.exists(layout.metrics()) ? MetricsCsv.read(layout.metrics()) : null;
        if (Files.exists(layout.spectrum())) {
            for (WindowSpectrum w : SpectrumCsv.read(layout.spectrum())) {
                if (w.step() <= step) {
                    windows.add(w);
                    detect(w, metricsAt(metrics, w.step()));
                }
            }
        }
        latestMetrics.clear();
        latestMetrics.putAll(metricsAt(metrics, step));
        writeEvents(false);
    }

    /** The latest value of every metrics column at or before {@code step}, as {@code sedge detect} reads them. */
    private static Map<String, Double> metricsAt(MetricsTable metrics, long step) {
        return metrics == null ? Map.of() : metrics.latestAt(step);
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        evaluation.metrics().forEach((name, value) -> {
            if (!Double.isNaN(value)) {
                latestMetrics.put(name, value);
            }
        });
    }

    /** The engine, with batches of up to {@link #MOST_PENDING} snapshots, fewer if the heap is short. */
    private SnapshotSpectralEngine newEngine() {
        return new SnapshotSpectralEngine(options, dimension,
                Math.min(MOST_PENDING, SnapshotSpectralEngine.defaultBatchSize(options, dimension)));
    }

    @Override
    public void onSnapshot(Snapshot snapshot) {
        float[] theta = snapshot.theta();
        batch.add(snapshot.step(), snapshot.learningRate(), "",
                values -> System.arraycopy(theta, 0, values, 0, theta.length));
        pendingMetrics.put(snapshot.step(), new LinkedHashMap<>(latestMetrics));
        if (batch.size() == 1) {
            oldestPending = System.nanoTime();
        }
        if (batch.isFull() || System.nanoTime() - oldestPending > MOST_LAG_NANOS) {
            flush();
        }
    }

    /** Hands the pending snapshots to the engine, and each window they complete to the detectors and listeners. */
    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            engine.accept(batch, this::publish);
        } catch (NumericException e) {
            throw new NumericException("the live spectrum cannot take the spectrum group's change (snapshots from step "
                    + pendingMetrics.firstEntry().getKey() + " on): " + e.getMessage() + ". Training is diverging; the run stopped there and its"
                    + " directory keeps everything up to the last evaluation and checkpoint. Try a lower"
                    + " optimizer.learning-rate or gradient clipping (train.clip)", e);
        } finally {
            pendingMetrics.clear();
        }
    }

    private void publish(WindowSpectrum window) {
        windows.add(window);
        List<EdgeEvent> fired = detect(window, pendingMetrics.getOrDefault(window.step(), latestMetrics));
        if (!fired.isEmpty()) {
            writeEvents(false);
        }
        downstream.onWindow(window, fired);
    }

    private List<EdgeEvent> detect(WindowSpectrum window, Map<String, Double> metrics) {
        List<EdgeEvent> fired = new ArrayList<>();
        for (Map.Entry<String, GuardedRun> d : detectors.entrySet()) {
            List<EdgeEvent> found = d.getValue().accept(window.toSpectralWindow(metrics));
            events.get(d.getKey()).addAll(found);
            fired.addAll(found);
        }
        return fired;
    }

    @Override
    public void onCheckpoint(CheckpointState checkpoint) {
        flush();
        SpectrumCsv.write(layout.spectrum(), options.window(), windows);
        new SnapshotHistory(snapshotsBefore + engine.snapshots(), engine.kept())
                .write(CheckpointFiles.monitor(layout, checkpoint.step()), checkpoint.step());
        writeEvents(false);
        if (lastCheckpoint >= 0) {
            prune(lastCheckpoint);
        }
        lastCheckpoint = checkpoint.step();
    }

    /** Deletes monitor states older than {@code keep}: a resume starts at the latest committed checkpoint. */
    private void prune(long keep) {
        for (long step : RunLayout.steps(CheckpointFiles.monitor(layout, 0).getParent())) {
            if (step < keep) {
                try {
                    Files.deleteIfExists(CheckpointFiles.monitor(layout, step));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the old monitor state of step " + step + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void onFinish(RunEnd end) {
        if (layout == null) {
            return;
        }
        try {
            flush();
        } finally {
            SpectrumCsv.write(layout.spectrum(), options.window(), windows);
            writeEvents(true);
        }
    }

    private void writeEvents(boolean finish) {
        List<DetectorSummary> out = new ArrayList<>();
        List<EventsFile.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, GuardedRun> d : detectors.entrySet()) {
            DetectorSummary summary = finish ? d.getValue().finish()
                    : new DetectorSummary(d.getKey(), events.get(d.getKey()), Map.of());
            out.add(summary);
            entries.add(d.getValue().entry(summary, TOOL));
        }
        EventsFile.writeEntries(layout.events(), entries);
        if (finish) {
            summaries = List.copyOf(out);
        }
    }

    /** The windows so far (restored ones included). */
    int windowCount() {
        return windows.size();
    }

    /** The detectors' summaries once the run finished; before, their events so far. */
    List<DetectorSummary> summaries() {
        if (summaries != null) {
            return summaries;
        }
        return detectors.keySet().stream().map(n -> new DetectorSummary(n, events.get(n), Map.of())).toList();
    }
}
