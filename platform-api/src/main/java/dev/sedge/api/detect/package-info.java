/** Edge detectors: the {@link dev.sedge.api.detect.EdgeDetector} SPI, over plain Java arrays. */
package dev.sedge.api.detect;
