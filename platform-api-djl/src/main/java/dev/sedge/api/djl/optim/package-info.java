/** Optimizers: the {@link dev.sedge.api.djl.optim.Optimizer} SPI, which speaks DJL. */
package dev.sedge.api.djl.optim;
