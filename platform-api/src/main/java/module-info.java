/**
 * The published API of sedge: the plugin contract, the service-provider interfaces that need no
 * engine (tasks, functional bases, detectors, checkpoint formats), their value types, the neutral
 * {@linkplain dev.sedge.api.model.ModelFunction model function}, the configuration model and the one
 * exception hierarchy. Requires nothing but {@code java.base}; the DJL-facing SPIs (architectures,
 * optimizers) live in {@code dev.sedge.api.djl}.
 *
 * <p>Nullness: no method accepts or returns {@code null} unless its documentation says so.
 * Threading: providers are stateless and thread-safe; the products they create (a
 * {@link dev.sedge.api.detect.DetectorRun}, a {@link dev.sedge.api.model.ModelFunction} …) hold
 * one run's state and are confined to one thread.
 */
module dev.sedge.api {
    exports dev.sedge.api;
    exports dev.sedge.api.task;
    exports dev.sedge.api.model;
    exports dev.sedge.api.basis;
    exports dev.sedge.api.detect;
    exports dev.sedge.api.checkpoint;
}
