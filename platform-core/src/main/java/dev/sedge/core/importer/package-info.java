/**
 * {@code sedge import}: a checkpoint series trained elsewhere, in any supported format, made into a run
 * directory (docs/import.md), with the model graph that runs it when there is one.
 */
package dev.sedge.core.importer;
