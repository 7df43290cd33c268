package dev.sedge.train;

import dev.sedge.core.run.LayoutEntry;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run will do, from a checked experiment (what {@code sedge train --dry-run} shows). Every part
 * of the run was created to get it, so an experiment that yields a plan starts training without a
 * configuration error.
 *
 * @param task          the task's description ({@code (a + b) mod 71})
 * @param trainExamples size of the train split
 * @param testExamples  size of the test split
 * @param parameters    every parameter with its shape and group, in checkpoint order
 * @param group         what the live spectrum watches
 * @param steps         optimizer steps
 * @param evaluations   evaluations, step 0 and the last step included
 * @param snapshots     group snapshots, step 0 included
 * @param windows       spectral windows the run will record
 * @param checkpoints   checkpoints, step 0 and the last step included
 * @param monitorBytes  heap the live monitor keeps: 2 · 4 · (W + stride) · p bytes (the engine's updates
 *                      and the snapshots saved for resuming)
 * @param config        the resolved configuration, every key with its value (defaults filled in), by key
 */
public record TrainingPlan(String task, int trainExamples, int testExamples, List<LayoutEntry> parameters,
                           SpectrumGroup group, long steps, long evaluations, long snapshots, long windows,
                           long checkpoints, long monitorBytes, SortedMap<String, String> config) {

    public TrainingPlan {
        Objects.requireNonNull(task, "task");
        parameters = List.copyOf(parameters);
        config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
        Objects.requireNonNull(group, "group");
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return parameters.stream().mapToLong(e -> e.shape().stream().reduce(1L, Math::multiplyExact)).sum();
    }
}
