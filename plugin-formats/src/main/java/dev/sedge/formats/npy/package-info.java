/**
 * The {@code npz} format: numpy {@code .npz} archives (stored or compressed) of {@code .npy}
 * arrays, and bare {@code .npy} files.
 */
package dev.sedge.formats.npy;
