/**
 * Checkpoint formats: the {@link dev.sedge.api.checkpoint.CheckpointFormat} SPI, the open
 * {@link dev.sedge.api.checkpoint.Checkpoint} it reads, and tensor values.
 */
package dev.sedge.api.checkpoint;
