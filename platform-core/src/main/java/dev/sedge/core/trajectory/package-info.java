/**
 * Trajectories as series of checkpoints: which format a file is in, which step it holds, and
 * a parameter group read from each as one flat vector.
 */
package dev.sedge.core.trajectory;
