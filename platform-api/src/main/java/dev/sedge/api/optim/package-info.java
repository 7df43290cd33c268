/** Optimizers: the {@link dev.sedge.api.optim.Optimizer} SPI, which speaks DJL. */
package dev.sedge.api.optim;
