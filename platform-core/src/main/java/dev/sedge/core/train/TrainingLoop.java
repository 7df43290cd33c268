package dev.sedge.core.train;

import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.spectral.WindowSpectrum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one run over an open {@link TrainingSession}: the steps from {@code firstStep + 1} to the
 * last, and after each the evaluation, snapshot and checkpoint its {@link Schedule} asks for, every
 * event handed to the listeners in order. A failure in a step or a listener ends the run: the
 * listeners' {@code onFinish} flushes what they hold (so the run directory keeps every file, whole),
 * then the failure is rethrown. Confined to the calling thread.
 */
final class TrainingLoop {

    private final TrainingSession session;
    private final RunLayout layout;
    private final TrainOptions options;
    private final MetricsLog metrics;
    private final SpectralMonitor monitor;
    private final Evaluator evaluator;
    private final Fanout listeners = new Fanout();

    /** Every listener in order; also the monitor's downstream for windows. */
    private static final class Fanout implements TrainingListener {
        final List<TrainingListener> all = new ArrayList<>();

        @Override
        public void onWindow(WindowSpectrum window, List<EdgeEvent> events) {
            for (TrainingListener l : all) {
                l.onWindow(window, events);
            }
        }
    }

    TrainingLoop(TrainingSession session, RunLayout layout, TrainOptions options) {
        this.session = session;
        this.layout = layout;
        this.options = options;
        this.evaluator = new Evaluator(session);
        this.metrics = new MetricsLog(evaluator.columns(), options.metricsEvery());
        listeners.all.add(metrics);
        if (options.liveSpectrum()) {
            monitor = new SpectralMonitor(session.spectralOptions, session.group.dimension(), session.detectors,
                    listeners);
            listeners.all.add(monitor);
        } else {
            monitor = null;
        }
        listeners.all.add(new ProgressReport(options.progress()));
        listeners.all.addAll(options.listeners());
        listeners.all.add(new Checkpointer(session.experiment.optimizer().plugin().name()));
    }

    /**
     * Runs the steps after {@code firstStep}.
     *
     * @param firstStep 0 for a fresh run (which then evaluates, snapshots and checkpoints step 0), else the
     *                  checkpoint's step the session was restored to
     */
    TrainingResult run(long firstStep, boolean resumed) {
        long started = System.nanoTime();
        Schedule schedule = Schedule.of(session.experiment);
        StepRunner runner = new StepRunner(session, options.liveSpectrum());
        ParameterState state = new ParameterState(session);
        RunStart start = new RunStart(layout, session.experiment, session.layout(), session.group, firstStep,
                schedule.steps(), resumed);
        for (TrainingListener l : listeners.all) {
            l.onStart(start); // a failure here leaves every file as it was: no onFinish
        }
        long done = firstStep;
        RuntimeException failure = null;
        try {
            if (!resumed) {
                after(0, null, schedule, state);
            }
            for (long step = firstStep + 1; step <= schedule.steps(); step++) {
                StepResult result = runner.step(step);
                done = step;
                for (TrainingListener l : listeners.all) {
                    l.onStep(result);
                }
                after(step, result, schedule, state);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        RunEnd end = new RunEnd(done, failure);
        for (TrainingListener l : listeners.all) {
            try {
                l.onFinish(end);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        var table = metrics.table();
        return new TrainingResult(layout.root(), schedule.steps(), resumed ? firstStep : -1,
                TrainingResult.lastRow(table), TrainingResult.grokking(table),
                monitor == null ? 0 : monitor.windowCount(), monitor == null ? List.of() : monitor.summaries(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private void after(long step, StepResult result, Schedule schedule, ParameterState state) {
        if (schedule.evaluates(step)) {
            Evaluation evaluation = evaluator.evaluate(step, result);
            for (TrainingListener l : listeners.all) {
                l.onEvaluation(evaluation);
            }
        }
        if (options.liveSpectrum() && schedule.snapshots(step)) {
            Snapshot snapshot = state.snapshot(step);
            for (TrainingListener l : listeners.all) {
                l.onSnapshot(snapshot);
            }
        }
        if (schedule.checkpoints(step)) {
            CheckpointState checkpoint = state.checkpoint(step);
            for (TrainingListener l : listeners.all) {
                l.onCheckpoint(checkpoint);
            }
        }
    }
}
