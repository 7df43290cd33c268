/** Architectures: the {@link dev.sedge.api.djl.model.Architecture} SPI, which speaks DJL. */
package dev.sedge.api.djl.model;
