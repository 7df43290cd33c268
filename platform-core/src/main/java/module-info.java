/** The sedge core: plugin registry, spectral engine, run directory, checkpoint I/O. */
module dev.sedge.core {
    requires transitive dev.sedge.api;
    requires ejml.core;
    requires ejml.ddense;
    requires com.fasterxml.jackson.databind;

    uses dev.sedge.api.task.Task;
    uses dev.sedge.api.model.Architecture;
    uses dev.sedge.api.optim.Optimizer;
    uses dev.sedge.api.basis.FunctionalBasis;
    uses dev.sedge.api.detect.EdgeDetector;
    uses dev.sedge.api.checkpoint.CheckpointFormat;

    exports dev.sedge.core;
}
