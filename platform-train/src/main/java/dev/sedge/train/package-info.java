/**
 * The trainer: trains a task's model on DJL, writes a run directory and watches the spectral edge
 * live. {@link dev.sedge.train.Trainer} is the entry point ({@code plan}, {@code run},
 * {@code resume}); training is extended through {@link dev.sedge.train.TrainingListener}s.
 *
 * <p>Nullness: no method accepts or returns {@code null} unless its documentation says so. Threading:
 * a run and all its listener calls happen on the calling thread.
 */
package dev.sedge.train;
