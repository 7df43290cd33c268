/**
 * DJL architectures. Not exported: reached only through {@link dev.sedge.api.djl.model.Architecture}.
 *
 * <p>No method accepts or returns {@code null} unless it says so. Providers are stateless and
 * thread-safe; the blocks and losses they make are not thread-safe. Every array a forward pass
 * or a loss creates belongs to the manager of the input tokens or labels (never to the
 * parameters' manager), so a host that attaches each step's inputs to a per-step sub-manager
 * frees every temporary with it.
 */
package dev.sedge.models;
