/**
 * Sweeps: many runs of one experiment over a grid of configurations and seeds, run in parallel,
 * resumable, and evaluated as a whole (docs/reproductions.md).
 *
 * <p>{@link dev.sedge.core.sweep.SweepSpec} is what to run (read from JSON);
 * {@link dev.sedge.core.sweep.SweepPlan} checks every run's configuration before anything starts;
 * {@link dev.sedge.core.sweep.SweepRunner} runs what is not finished yet on a
 * {@link dev.sedge.core.sweep.RunExecutor} (child processes of the sedge launcher, in-process, or one Slurm
 * job array: {@link dev.sedge.core.sweep.SlurmExecutor}, docs/scale.md) and
 * writes {@code results.csv} and {@code results.json}; {@link dev.sedge.core.sweep.LockInReproduction}
 * is the Feature Repulsion paper's lock-in protocol as a built-in sweep.
 *
 * <p>Layout of a sweep folder {@code OUT}:
 * <pre>
 * OUT/
 *   &lt;condition&gt;/condition.json   the condition's configuration (a config file sedge train reads; no seed)
 *   &lt;condition&gt;/seed-&lt;n&gt;/        a run directory, plus train.log (the run's output) and, once it
 *                               finished, result.json (what the sweep measured: the marker of a finished run)
 *   results.csv, results.json  one row per run, and the detectors' evaluation
 *   .slurm/                    with the Slurm executor: its batch script, tasks files, exit files, last job id
 * </pre>
 *
 * <p>Nullness: no method takes or returns {@code null} unless its documentation says so. Records are
 * immutable and copy their collections. {@link dev.sedge.core.sweep.SweepRunner} calls its listener
 * from worker threads, one call at a time.
 */
package dev.sedge.core.sweep;
