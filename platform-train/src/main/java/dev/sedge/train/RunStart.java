package dev.sedge.train;

import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.RunLayout;
import java.util.List;
import java.util.Objects;

/**
 * What a listener learns when a run starts.
 *
 * @param layout     the run directory
 * @param experiment the checked experiment
 * @param parameters every parameter with its shape and group, in checkpoint order
 * @param group      what the live spectrum watches
 * @param firstStep  the last step already done: 0 for a fresh run, the checkpoint's step for a resumed one
 * @param lastStep   the step the run ends at ({@code train.steps})
 * @param resumed    whether the run continues from a checkpoint (then the listener restores its state
 *                   as of {@code firstStep} from the run directory, dropping anything recorded after it)
 */
public record RunStart(RunLayout layout, Experiment experiment, List<LayoutEntry> parameters, SpectrumGroup group,
                       long firstStep, long lastStep, boolean resumed) {

    public RunStart {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(experiment, "experiment");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(group, "group");
    }
}
