/** Functional bases: the {@link dev.sedge.api.basis.FunctionalBasis} SPI, over plain Java arrays. */
package dev.sedge.api.basis;
