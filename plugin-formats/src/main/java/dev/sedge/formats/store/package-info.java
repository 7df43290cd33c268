/**
 * What every format of this module produces: tensors located in memory-mapped (or inflated)
 * bytes, each with its dtype, byte order, offset and strides, and the one {@code Checkpoint}
 * that reads them as floats or doubles.
 *
 * <p>Nullness: nothing here accepts or returns {@code null}. Offsets are {@code long}: files and
 * storages over 2 GB work.
 */
package dev.sedge.formats.store;
