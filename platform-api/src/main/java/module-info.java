/**
 * The published API of sedge: the plugin contract, the six service-provider interfaces, their
 * value types, the configuration model and the one exception hierarchy.
 *
 * <p>Nullness: no method accepts or returns {@code null} unless its documentation says so.
 * Threading: providers are stateless and thread-safe; the products they create (a
 * {@link dev.sedge.api.detect.DetectorRun}, an {@link dev.sedge.api.optim.OptimizerRun} …) hold
 * one run's state and are confined to one thread.
 */
module dev.sedge.api {
    requires transitive ai.djl.api;

    exports dev.sedge.api;
    exports dev.sedge.api.task;
    exports dev.sedge.api.model;
    exports dev.sedge.api.optim;
    exports dev.sedge.api.basis;
    exports dev.sedge.api.detect;
    exports dev.sedge.api.checkpoint;
}
