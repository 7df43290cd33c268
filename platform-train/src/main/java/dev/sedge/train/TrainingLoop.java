package dev.sedge.train;

import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.run.RunLayout;
import dev.sedge.spectral.WindowSpectrum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one run over an open {@link TrainingSession}: the steps from {@code firstStep + 1} to the
 * last, and after each the evaluation, snapshot and checkpoint its {@link Schedule} asks for, every
 * event handed to the listeners in order. A failure in a step or a listener ends the run: the
 * listeners' {@code onFinish} flushes what they hold (so the run directory keeps every file, whole),
 * then the failure is rethrown. Without a failure, the last step's parameter file is written after every
 * {@code onFinish}: it marks the run done ({@link Checkpointer#commitLast}). Confined to the calling thread.
 */
final class TrainingLoop {

    private final TrainingSession session;
    private final RunLayout layout;
    private final TrainOptions options;
    private final MetricsLog metrics;
    private final SpectralMonitor monitor;
    private final Evaluator evaluator;
    private final ParameterState state;
    /** Whether a full-batch step's forward pass also measures the train split for the evaluation before it. */
    private final boolean fusesTrainEvaluation;
    private final Fanout listeners = new Fanout();
    private final Checkpointer checkpointer;

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
        // a seq2seq task's sequence accuracy needs greedy decoding, which a training step does not do
        this.fusesTrainEvaluation = session.experiment.train().batchSize() == 0
                && !session.spec.trainingChangesOutputs() && session.train.decoded().isEmpty();
        this.metrics = new MetricsLog(evaluator.columns(), options.metricsEvery());
        listeners.all.add(metrics);
        if (options.liveSpectrum()) {
            monitor = new SpectralMonitor(session.spectralOptions, session.group.dimension(), session.detectors,
                    listeners);
            listeners.all.add(monitor);
        } else {
            monitor = null;
        }
        listeners.all.addAll(options.listeners()); // before the progress: what they say at the start comes first
        listeners.all.add(new ProgressReport(options.progress()));
        this.checkpointer = new Checkpointer(session.experiment.optimizer().plugin().name());
        listeners.all.add(checkpointer);
        this.state = new ParameterState(session, options.liveSpectrum());
    }

    /**
     * Restores the session to a checkpoint, bit for bit, before {@link #run} resumes from it.
     *
     * @param where for messages: the checkpoint files
     * @throws dev.sedge.api.DataFormatException naming {@code where} if a tensor is missing or has another shape
     */
    void restore(CheckpointState checkpoint, String where) {
        state.restore(checkpoint, where);
    }

    /**
     * Runs the steps after {@code firstStep}.
     *
     * @param firstStep 0 for a fresh run (which then evaluates, snapshots and checkpoints step 0), else the
     *                  checkpoint's step the session was restored to ({@link #restore})
     */
    TrainingResult run(long firstStep, boolean resumed) {
        long started = System.nanoTime();
        Schedule schedule = Schedule.of(session.experiment);
        StepRunner runner = new StepRunner(session, options.liveSpectrum());
        RunStart start = new RunStart(layout, session.experiment, session.layout(), session.group, firstStep,
                schedule.steps(), resumed);
        for (TrainingListener l : listeners.all) {
            l.onStart(start); // a failure here leaves every file as it was: no onFinish
        }
        long done = firstStep;
        RuntimeException failure = null;
        Deferred deferred = null;
        try {
            if (!resumed) {
                deferred = after(0, null, schedule);
            }
            for (long step = firstStep + 1; step <= schedule.steps(); step++) {
                StepResult result;
                try {
                    result = runner.step(step, deferred == null ? null : deferred.train());
                } catch (RuntimeException e) {
                    if (deferred != null) {
                        publishAfterFailure(deferred, e);
                    }
                    throw e;
                }
                if (deferred != null) {
                    publish(deferred);
                    deferred = null;
                }
                done = step;
                for (TrainingListener l : listeners.all) {
                    l.onStep(result);
                }
                deferred = after(step, result, schedule);
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
        if (failure == null) {
            try {
                checkpointer.commitLast(); // the run is done once its files are: the last parameter file says so
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        var table = metrics.table();
        return new TrainingResult(layout.root(), schedule.steps(), resumed ? firstStep : -1,
                TrainingResult.lastRow(table), TrainingResult.grokking(table),
                monitor == null ? 0 : monitor.windowCount(), monitor == null ? List.of() : monitor.summaries(),
                LevelTrace.of(table), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The evaluation, snapshot and checkpoint after step {@code step}, handed to the listeners in that
     * order; or, when the train split's metrics can come from the next step's forward pass, the
     * evaluation and snapshot taken now and handed over once that step has run ({@link #publish}): the
     * listeners see the same events in the same order either way. Never deferred at a checkpoint (a run
     * resumed from it must find its evaluation written) or at the last step.
     *
     * @return what waits for the next step, or null
     */
    private Deferred after(long step, StepResult result, Schedule schedule) {
        boolean evaluates = schedule.evaluates(step);
        boolean snapshots = options.liveSpectrum() && schedule.snapshots(step);
        if (evaluates && fusesTrainEvaluation && step < schedule.steps() && !schedule.checkpoints(step)) {
            return new Deferred(evaluator.begin(step, result), evaluator.trainTally(),
                    snapshots ? state.snapshot(step) : null);
        }
        if (evaluates) {
            Evaluation evaluation = evaluator.evaluate(step, result);
            for (TrainingListener l : listeners.all) {
                l.onEvaluation(evaluation);
            }
        }
        if (snapshots) {
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
        return null;
    }

    /**
     * An evaluation whose train split is measured by the next step's forward pass, and the snapshot of
     * the same step, held until then.
     *
     * @param snapshot null if the step takes none
     */
    private record Deferred(Evaluator.Partial evaluation, Tally train, Snapshot snapshot) {
    }

    private void publish(Deferred deferred) {
        Evaluation evaluation = deferred.evaluation().complete(deferred.train());
        for (TrainingListener l : listeners.all) {
            l.onEvaluation(evaluation);
        }
        if (deferred.snapshot() != null) {
            for (TrainingListener l : listeners.all) {
                l.onSnapshot(deferred.snapshot());
            }
        }
    }

    /**
     * Hands over a deferred evaluation and snapshot when the step that was to complete them failed, so the
     * run directory keeps them: with the step's forward pass if it got that far (a NaN loss then shows as
     * the train loss), else from a pass of its own (the failure came before any update).
     */
    private void publishAfterFailure(Deferred deferred, RuntimeException failure) {
        try {
            if (!deferred.train().complete()) {
                deferred = new Deferred(deferred.evaluation(), evaluator.measureTrain(), deferred.snapshot());
            }
            publish(deferred);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
