/**
 * {@code sedge explain}: what an edge direction computes, read as a function over the task's inputs and
 * scored in functional bases (docs/science.md, "Probe points and functional modes").
 */
package dev.sedge.core.explain;
