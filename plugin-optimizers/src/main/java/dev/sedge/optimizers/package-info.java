/**
 * Optimizers that split each step into a gradient part and a weight-decay part. Not exported:
 * reached only through {@link dev.sedge.api.djl.optim.Optimizer}.
 *
 * <p>No method accepts or returns {@code null} unless it says so. Providers are stateless and
 * thread-safe; an {@link dev.sedge.api.djl.optim.OptimizerRun} is confined to one thread.
 */
package dev.sedge.optimizers;
