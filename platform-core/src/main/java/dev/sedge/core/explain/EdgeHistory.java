package dev.sedge.core.explain;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.Progress;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient / weight-decay split on v_1 along a whole run: for each window of its spectrum, grad% on the
 * window's first edge direction ({@link GradientSplit}), recomputed exactly from the checkpoints
 * ({@link EdgeWindow}). What the gap-flow classifier reads (docs/science.md, "Detectors").
 *
 * <p>A window has a share when its W updates are the differences of consecutive checkpoints, which is so when
 * the run checkpointed at every snapshot the spectrum used ({@code train.checkpoint-every} equal to
 * {@code spectrum.every}); a sketched window has none (its directions do not live in parameter space).
 */
public final class EdgeHistory {

    private EdgeHistory() {
    }

    /**
     * grad% on v_1 of each window that has one.
     *
     * @param windows the run's spectrum, in step order
     * @return window step → grad% (NaN where neither part moves along v_1), in step order; never empty
     * @throws DataFormatException when no window has a share, or the run has no split at all, saying why and what
     *                             to do
     */
    public static Map<Long, Double> gradientShares(RunLayout layout, NameGlob group, List<WindowSpectrum> windows,
                                                   CheckpointFormats formats, Progress progress) {
        List<Long> checkpoints = layout.checkpointSteps();
        Map<Long, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < windows.size(); i++) {
            WindowSpectrum window = windows.get(i);
            progress.update(i, windows.size(), "gradient share: step " + window.step());
            if (window.sketched() || !updatesAreCheckpoints(checkpoints, window)) {
                continue;
            }
            SpectralOptions options = SpectralOptions.of(window.width()).withCentering(window.centered());
            EdgeWindow edge = EdgeWindow.compute(layout, group, options, window.step(), 1, formats);
            if (edge.count() == 0) {
                continue; // a window without a direction (every update zero)
            }
            GradientSplit split = GradientSplit.of(layout, edge, group, formats);
            if (split.source().equals(GradientSplit.NONE)) {
                throw new DataFormatException("run " + layout.root() + " has no gradient / weight-decay split: "
                        + split.reason());
            }
            shares.put(window.step(), split.shares().getFirst().gradient());
        }
        if (shares.isEmpty()) {
            throw new DataFormatException("none of the " + windows.size() + " windows of " + layout.spectrum()
                    + " can be split into gradient and weight decay: a window needs its W + 1 snapshots as checkpoints"
                    + " (checkpoints are at steps " + layout.checkpointSteps() + "); train with train.checkpoint-every"
                    + " equal to spectrum.every, and an exact (not sketched) spectrum");
        }
        progress.update(windows.size(), windows.size(), "gradient share: done");
        return shares;
    }

    /**
     * Whether the window's W updates are the differences of consecutive checkpoints: its step and the W
     * checkpoints before it are checkpoints, the first update ending at the window's first step.
     *
     * @param checkpoints the run's checkpoint steps, ascending
     */
    private static boolean updatesAreCheckpoints(List<Long> checkpoints, WindowSpectrum window) {
        int last = Collections.binarySearch(checkpoints, window.step());
        return last >= window.width() && checkpoints.get(last - window.width() + 1) == window.firstStep();
    }
}
