/**
 * Stored runs seen as functions: {@link dev.sedge.core.model.CheckpointModel}, a trained run at one of its
 * checkpoints, built through a {@link dev.sedge.core.model.ModelFactory} that the trainer module provides.
 * What the analyses of a stored run read a model through, without an engine of their own.
 */
package dev.sedge.core.model;
