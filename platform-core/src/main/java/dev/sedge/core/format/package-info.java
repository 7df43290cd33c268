/**
 * The safetensors checkpoint format, the pivot format of sedge's run directory: a reader that
 * memory-maps the file (tensors and files over 2 GB work; offsets are {@code long}) and an
 * atomic writer.
 *
 * <p>Nullness: no method in this package accepts or returns {@code null} unless it says so.
 * Providers and writers are stateless and thread-safe; an open checkpoint is confined to one
 * thread.
 */
package dev.sedge.core.format;
