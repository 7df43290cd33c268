package dev.sedge.train;

import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.spectral.WindowSpectrum;
import java.util.List;

/**
 * Extends training (docs/architecture.md, "Rules the code keeps"): the live spectral monitor, the metrics file, the
 * checkpointer and the progress report are listeners, and so is anything a caller adds.
 *
 * <p>Order of calls, all on the training thread: {@link #onStart} once; then for step 0 of a fresh
 * run and for every step t after: {@link #onStep} (t ≥ 1), {@link #onEvaluation} if one is due,
 * {@link #onSnapshot} if one is due, {@link #onCheckpoint} if one is due; finally {@link #onFinish}
 * once, also when the run fails. {@link #onWindow} comes for every window of the live monitor, in
 * step order, after the snapshot that completes it: right after, or some snapshots later (the monitor
 * hands snapshots to its engine in batches), and at the latest before the next checkpoint or the end. Listeners are
 * called in the order they were given; the trainer's checkpointer always comes last, so a checkpoint file on disk
 * means every listener has saved what it needs to resume from that step.
 *
 * <p>An exception thrown by a listener stops the run: the trainer then calls {@link #onFinish} with
 * the failure and rethrows it. Every method does nothing by default.
 */
public interface TrainingListener {

    /** The run starts, fresh or resumed; a resumed listener restores what it keeps from the run directory. */
    default void onStart(RunStart start) {
    }

    /** Step {@code result.step()} was applied (called for steps ≥ 1). */
    default void onStep(StepResult result) {
    }

    /** Train and test metrics after a step (also at step 0 of a fresh run). */
    default void onEvaluation(Evaluation evaluation) {
    }

    /** The spectrum group's values after a step (also at step 0 of a fresh run). */
    default void onSnapshot(Snapshot snapshot) {
    }

    /**
     * The live monitor completed a window (see the order of calls above).
     *
     * @param events what the live detectors fired at this window, usually none
     */
    default void onWindow(WindowSpectrum window, List<EdgeEvent> events) {
    }

    /** A checkpoint of this step is about to be committed: save what you need to resume from it. */
    default void onCheckpoint(CheckpointState checkpoint) {
    }

    /** The run ended, completed or failed; flush what you hold. */
    default void onFinish(RunEnd end) {
    }
}
