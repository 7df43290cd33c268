package dev.sedge.train;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.core.run.RunLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes each checkpoint ({@link CheckpointFiles}): the state file and the weight-decay record first,
 * then the parameter file, whose appearance commits the checkpoint. The trainer registers it as the last listener, so every
 * other listener has saved its own state for the step before the commit. The last step's parameter file
 * waits for {@link #commitLast}, which the trainer calls once every listener has finished (metrics,
 * spectrum and events written whole): its appearance says the whole run is done, so a run killed before
 * has no final checkpoint and resumes from the one before. Confined to the training thread.
 */
final class Checkpointer implements TrainingListener {

    private final String optimizerName;
    private RunLayout layout;
    private long lastStep = -1;
    /** The last step's checkpoint, its parameter file not yet written; null before it. */
    private CheckpointState last;

    Checkpointer(String optimizerName) {
        this.optimizerName = optimizerName;
    }

    @Override
    public void onStart(RunStart start) {
        layout = start.layout();
        lastStep = start.lastStep();
    }

    @Override
    public void onCheckpoint(CheckpointState checkpoint) {
        long step = checkpoint.step();
        List<Tensor> state = new ArrayList<>();
        for (Tensor t : checkpoint.optimizer()) {
            state.add(CheckpointFiles.renamed(t, CheckpointFiles.OPTIMIZER_PREFIX + t.info().name()));
        }
        for (Tensor t : checkpoint.decay()) {
            state.add(CheckpointFiles.renamed(t, CheckpointFiles.DECAY_PREFIX + t.info().name()));
        }
        CheckpointFiles.write(CheckpointFiles.state(layout, step), state,
                CheckpointFiles.metadata(step, Map.of("optimizer", optimizerName)));
        if (!checkpoint.interval().isEmpty()) {
            CheckpointFiles.write(layout.decayPart(step), checkpoint.interval(),
                    CheckpointFiles.metadata(step, Map.of("optimizer", optimizerName)));
        }
        if (step == lastStep) {
            last = checkpoint;
        } else {
            commit(checkpoint);
        }
    }

    /** Writes the last step's parameter file, committing the run; nothing if the run did not reach its last step. */
    void commitLast() {
        if (last != null) {
            commit(last);
            last = null;
        }
    }

    private void commit(CheckpointState checkpoint) {
        CheckpointFiles.write(CheckpointFiles.parameters(layout, checkpoint.step()), checkpoint.parameters(),
                CheckpointFiles.metadata(checkpoint.step(), Map.of()));
    }
}
