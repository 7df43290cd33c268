package dev.sedge.core.explain;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import dev.sedge.core.trajectory.StepFile;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.util.List;

/**
 * The spectral edge of one window of a stored run, recomputed exactly from its checkpoints: the W + 1
 * checkpoints ending at a step give W updates of the parameter group, whose window's singular values
 * and right singular vectors v_1..v_n (docs/science.md, "The rolling-window Gram matrix") are what
 * {@code sedge explain} reads as functions. Immutable; arrays copied out.
 */
public final class EdgeWindow {

    private final List<Long> steps;
    private final List<TensorInfo> tensors;
    private final double[] sigma;
    private final float[][] directions;

    private EdgeWindow(List<Long> steps, List<TensorInfo> tensors, double[] sigma, float[][] directions) {
        this.steps = List.copyOf(steps);
        this.tensors = List.copyOf(tensors);
        this.sigma = sigma;
        this.directions = directions;
    }

    /**
     * Computes the window ending at {@code step} and its first {@code count} directions (fewer when the
     * window's rank is smaller: a direction needs σ_j &gt; 0).
     *
     * @param layout  the run
     * @param group   the parameter group, a tensor-name pattern (the run's own group resolved by the caller)
     * @param options the window W and its centering; exact (no sketch: v_j must live in parameter space)
     * @throws DataFormatException if fewer than W + 1 checkpoints end at {@code step}, naming the steps there are
     */
    public static EdgeWindow compute(RunLayout layout, NameGlob group, SpectralOptions options, long step, int count,
                                     CheckpointFormats formats) {
        int w = options.window();
        List<StepFile> files = StepFile.list(layout.checkpoints(), formats).stream().filter(f -> f.step() <= step)
                .toList();
        if (files.isEmpty() || files.getLast().step() != step || files.size() < w + 1) {
            throw new DataFormatException("run " + layout.root() + " has " + files.size() + " checkpoint(s) up to step "
                    + step + (files.isEmpty() || files.getLast().step() == step ? "" : ", none at " + step)
                    + "; a window of W = " + w + " updates ending there needs " + (w + 1) + " ending at " + step
                    + ". Its checkpoints are at steps " + layout.checkpointSteps()
                    + ": choose a step among them and a smaller --window, or train with train.checkpoint-every smaller");
        }
        List<StepFile> window = files.subList(files.size() - w - 1, files.size());
        GroupReader reader;
        try (Checkpoint first = formats.open(window.getFirst().file())) {
            reader = GroupReader.of(first, group);
        }
        int p = reader.dimension();
        SpectralEngine engine = new SpectralEngine(options, p);
        float[] previous = new float[p];
        float[] current = new float[p];
        WindowSpectrum last = null;
        for (int i = 0; i < window.size(); i++) {
            try (Checkpoint checkpoint = formats.open(window.get(i).file())) {
                reader.read(checkpoint, current);
            }
            if (i > 0) {
                float[] update = new float[p];
                for (int j = 0; j < p; j++) {
                    update[j] = current[j] - previous[j];
                }
                last = engine.accept(window.get(i).step(), update).orElse(last);
            }
            float[] swap = previous;
            previous = current;
            current = swap;
        }
        double[] sigma = last.sigma();
        int available = 0;
        while (available < Math.min(count, sigma.length) && sigma[available] > 0) {
            available++;
        }
        return new EdgeWindow(window.stream().map(StepFile::step).toList(), reader.tensors(), sigma,
                engine.edgeDirections(available));
    }

    /** The steps of the W + 1 checkpoints, ascending; the last is the window's step. */
    public List<Long> steps() {
        return steps;
    }

    /** The window's step. */
    public long step() {
        return steps.getLast();
    }

    /** The group's tensors, in the order the directions concatenate them. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** σ_1 ≥ … ≥ σ_W of the window. A new array. */
    public double[] sigma() {
        return sigma.clone();
    }

    /** How many directions were computed. */
    public int count() {
        return directions.length;
    }

    /** v_k (1-based), a unit vector over the group, length p. A new array. */
    public float[] direction(int k) {
        return directions[k - 1].clone();
    }
}
