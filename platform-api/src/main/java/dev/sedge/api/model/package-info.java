/**
 * What the platform knows of a model without running it: the {@link dev.sedge.api.model.TaskShape}
 * a model is built for, its {@link dev.sedge.api.model.ParameterGroup}s and their
 * {@link dev.sedge.api.model.NameGlob}s, and the {@link dev.sedge.api.model.ModelFunction} through which
 * analyses read a model's activations, whatever engine runs it.
 */
package dev.sedge.api.model;
