/**
 * A minimal zip reader over a memory-mapped file (ZIP64 included), enough for .npz and PyTorch
 * archives: entry names, stored entries as slices of the mapping, deflated ones inflated on
 * demand. {@code java.util.zip.ZipFile} cannot give a stored entry's offset, so it cannot map a
 * storage over 2 GB without copying it.
 */
package dev.sedge.formats.zip;
