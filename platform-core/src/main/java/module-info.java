/**
 * The sedge core: plugin registry, experiments, run directory, checkpoint I/O, the trainer, detection,
 * sweeps and the repulsion analyses. The spectral engine is its own module, {@code dev.sedge.spectral}.
 */
@SuppressWarnings("module") // qualified exports name dev.sedge.cli, which is built later
module dev.sedge.core {
    requires transitive dev.sedge.api.djl;
    requires transitive dev.sedge.spectral;
    requires ejml.core; // the repulsion sign test
    requires ejml.ddense;
    requires com.fasterxml.jackson.databind;

    uses dev.sedge.api.task.Task;
    uses dev.sedge.api.djl.model.Architecture;
    uses dev.sedge.api.djl.optim.Optimizer;
    uses dev.sedge.api.basis.FunctionalBasis;
    uses dev.sedge.api.detect.EdgeDetector;
    uses dev.sedge.api.checkpoint.CheckpointFormat;

    exports dev.sedge.core;
    exports dev.sedge.core.plugin to dev.sedge.cli;
    exports dev.sedge.core.run to dev.sedge.cli;
    exports dev.sedge.core.trajectory to dev.sedge.cli;
    exports dev.sedge.core.experiment to dev.sedge.cli;
    exports dev.sedge.core.io to dev.sedge.cli;
    exports dev.sedge.core.format to dev.sedge.cli;
    exports dev.sedge.core.detect to dev.sedge.cli;
    exports dev.sedge.core.train to dev.sedge.cli;
    exports dev.sedge.core.sweep to dev.sedge.cli;
    exports dev.sedge.core.repulsion to dev.sedge.cli;

    provides dev.sedge.api.checkpoint.CheckpointFormat with dev.sedge.core.format.SafetensorsFormat;
}
