package dev.sedge.train;

import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.Progress;
import dev.sedge.spectral.WindowSpectrum;
import java.util.List;
import java.util.Locale;

/**
 * Reports every step to a {@link Progress}: done = the step, total = {@code train.steps}, detail =
 * the step's loss, the train and test accuracy of the latest evaluation (its step named when it is
 * not this one), and the number of windows so far. A step is reported once its own evaluation, if
 * it has one, is in (the loop hands it over after the step, sometimes only with the next step), so
 * the accuracies never lag the step shown. Confined to the training thread.
 */
final class ProgressReport implements TrainingListener {

    private final Progress progress;
    private long total;
    private String accuracy = "";
    private long evaluated = -1;
    private StepResult pending;
    private long windows;

    ProgressReport(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void onStart(RunStart start) {
        total = start.lastStep();
        progress.update(start.firstStep(), total, start.resumed() ? "resumed after step " + start.firstStep()
                : "starting");
    }

    @Override
    public void onStep(StepResult result) {
        reportPending();
        pending = result;
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        accuracy = String.format(Locale.ROOT, " train_acc %.3f test_acc %.3f", evaluation.value("train_acc"),
                evaluation.testAccuracy());
        evaluated = evaluation.step();
        if (pending != null && pending.step() == evaluation.step()) {
            reportPending();
        }
    }

    /** Reports the step waiting for its evaluation, if any. */
    private void reportPending() {
        if (pending == null) {
            return;
        }
        String at = evaluated >= 0 && evaluated != pending.step() ? " (at step " + evaluated + ")" : "";
        progress.update(pending.step(), total, String.format(Locale.ROOT, "loss %.4g%s%s windows %d",
                pending.loss(), accuracy, at, windows));
        pending = null;
    }

    @Override
    public void onWindow(WindowSpectrum window, List<EdgeEvent> events) {
        windows++;
    }

    @Override
    public void onFinish(RunEnd end) {
        reportPending();
        progress.update(end.lastStep(), total, end.completed() ? "done" : "stopped: " + end.failure().getMessage());
    }
}
