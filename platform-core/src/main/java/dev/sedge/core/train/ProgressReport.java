package dev.sedge.core.train;

import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.Progress;
import dev.sedge.core.spectral.WindowSpectrum;
import java.util.List;
import java.util.Locale;

/**
 * Reports every step to a {@link Progress}: done = the step, total = {@code train.steps}, detail =
 * the step's loss, the latest evaluation's train and test accuracy, and the number of windows.
 * Confined to the training thread.
 */
final class ProgressReport implements TrainingListener {

    private final Progress progress;
    private long total;
    private String accuracy = "";
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
        progress.update(result.step(), total, String.format(Locale.ROOT, "step %d loss %.4g%s windows %d",
                result.step(), result.loss(), accuracy, windows));
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        accuracy = String.format(Locale.ROOT, " train_acc %.3f test_acc %.3f", evaluation.value("train_acc"),
                evaluation.testAccuracy());
    }

    @Override
    public void onWindow(WindowSpectrum window, List<EdgeEvent> events) {
        windows++;
    }

    @Override
    public void onFinish(RunEnd end) {
        progress.update(end.lastStep(), total, end.completed() ? "done" : "stopped: " + end.failure().getMessage());
    }
}
