package dev.sedge.train;

import dev.sedge.core.experiment.Experiment;

/**
 * Which steps evaluate, snapshot and checkpoint. Step 0 is the initial model of a fresh run.
 *
 * <ul>
 *   <li>evaluation: step 0, every {@code train.eval-every} steps, and the last step;</li>
 *   <li>snapshot: step 0 and every {@code spectrum.every} steps (a regular recording interval: the last
 *       step is not added);</li>
 *   <li>checkpoint: step 0 and every {@code train.checkpoint-every} steps, and the last step; only the
 *       last when {@code checkpoint-every} is 0.</li>
 * </ul>
 *
 * @param steps           the last step
 * @param evalEvery       ≥ 1
 * @param snapshotEvery   ≥ 1
 * @param checkpointEvery ≥ 0
 */
record Schedule(long steps, long evalEvery, long snapshotEvery, long checkpointEvery) {

    static Schedule of(Experiment e) {
        return new Schedule(e.train().steps(), e.train().evalEvery(), e.spectrum().every(), e.train().checkpointEvery());
    }

    boolean evaluates(long step) {
        return step % evalEvery == 0 || step == steps;
    }

    boolean snapshots(long step) {
        return step % snapshotEvery == 0;
    }

    boolean checkpoints(long step) {
        return checkpointEvery > 0 ? step % checkpointEvery == 0 || step == steps : step == steps;
    }

    long evaluations() {
        return steps / evalEvery + 1 + (steps % evalEvery != 0 ? 1 : 0);
    }

    long snapshotCount() {
        return steps / snapshotEvery + 1;
    }

    long checkpointCount() {
        return checkpointEvery > 0 ? steps / checkpointEvery + 1 + (steps % checkpointEvery != 0 ? 1 : 0) : 1;
    }

    /** Windows of width W emitted every {@code stride} updates over all snapshots. */
    long windows(int window, int stride) {
        long updates = snapshotCount() - 1;
        return updates < window ? 0 : (updates - window) / stride + 1;
    }
}
