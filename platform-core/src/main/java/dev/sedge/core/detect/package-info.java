/**
 * Running edge detectors over a stored run ({@link dev.sedge.core.detect.DetectJob}) and
 * evaluating a detector over a sweep of runs ({@link dev.sedge.core.detect.DetectorEvaluation}).
 *
 * <p>Nullness: no method takes or returns {@code null} unless its documentation says so; absent
 * values are {@link java.util.Optional}, {@link java.util.OptionalLong} or
 * {@link java.util.OptionalDouble}. Steps are training steps as recorded in the run directory.
 * Records are immutable and copy their collections; the static functions are thread-safe;
 * {@link dev.sedge.core.detect.DetectJob} is confined to the calling thread per call.
 */
package dev.sedge.core.detect;
