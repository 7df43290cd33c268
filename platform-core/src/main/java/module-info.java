/**
 * The sedge core: plugin registry, experiments, run directory, checkpoint I/O, detection, sweeps and
 * the repulsion analyses. It drives no engine: the spectral engine is {@code dev.sedge.spectral}, the
 * trainer {@code dev.sedge.train}, which also provides the {@link dev.sedge.core.model.ModelFactory}
 * that rebuilds a stored run's model (docs/architecture.md, "Modules"). It names the DJL-facing SPIs
 * ({@code dev.sedge.api.djl}) only to load and configure those plugins.
 */
@SuppressWarnings("module") // qualified exports name dev.sedge.train, dev.sedge.onnx and dev.sedge.cli, built later
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
    uses dev.sedge.core.model.ModelFactory;
    uses dev.sedge.core.model.GraphModelFactory;

    exports dev.sedge.core;
    exports dev.sedge.core.plugin to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.run to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.trajectory to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.experiment to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.model to dev.sedge.train, dev.sedge.onnx, dev.sedge.cli;
    exports dev.sedge.core.explain to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.importer to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.io to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.format to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.detect to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.sweep to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.repulsion to dev.sedge.train, dev.sedge.cli;
    exports dev.sedge.core.report to dev.sedge.cli;

    provides dev.sedge.api.checkpoint.CheckpointFormat with dev.sedge.core.format.SafetensorsFormat;
}
