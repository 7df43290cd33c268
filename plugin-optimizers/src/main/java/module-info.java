/**
 * Built-in sedge plugins: optimizers that split every step into a gradient part and a
 * weight-decay part. Exports nothing; provides services (also listed in
 * {@code META-INF/services} for the class path).
 */
module dev.sedge.optimizers {
    requires dev.sedge.api.djl;

    provides dev.sedge.api.djl.optim.Optimizer with
            dev.sedge.optimizers.AdamOptimizer,
            dev.sedge.optimizers.AdamWOptimizer,
            dev.sedge.optimizers.SgdOptimizer,
            dev.sedge.optimizers.MuonOptimizer;
}
