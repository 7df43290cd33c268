/**
 * The DJL-facing SPIs of sedge: the {@linkplain dev.sedge.api.djl.model.Architecture architectures}
 * and {@linkplain dev.sedge.api.djl.optim.Optimizer optimizers} the trainer builds and steps as DJL
 * blocks and arrays. Apart from the platform API ({@code dev.sedge.api}, which needs nothing but the
 * JDK) so that a task, basis, detector or checkpoint format compiles without DJL; a plugin that
 * provides an architecture or an optimizer requires this module.
 *
 * <p>Threading as in {@code dev.sedge.api}: providers are stateless and thread-safe; a
 * {@link dev.sedge.api.djl.model.ModelSpec} or {@link dev.sedge.api.djl.optim.OptimizerRun} holds
 * one run's state and is confined to one thread.
 */
module dev.sedge.api.djl {
    requires transitive dev.sedge.api;
    requires transitive ai.djl.api;

    exports dev.sedge.api.djl.model;
    exports dev.sedge.api.djl.optim;
}
