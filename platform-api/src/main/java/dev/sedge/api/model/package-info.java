/** Architectures: the {@link dev.sedge.api.model.Architecture} SPI, which speaks DJL. */
package dev.sedge.api.model;
