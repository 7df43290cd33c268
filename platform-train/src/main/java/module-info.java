/**
 * The trainer of sedge ({@link dev.sedge.train.Trainer}): a run's model, optimizer and data on DJL,
 * stepped with its listeners (metrics, the live spectral monitor and detectors, progress, checkpoints),
 * resumed bit for bit. The one module that drives an engine; it provides core's
 * {@link dev.sedge.core.model.ModelFactory}, so that analyses of stored runs rebuild models without
 * depending on it.
 */
@SuppressWarnings("module") // the qualified export names dev.sedge.cli, which is built later
module dev.sedge.train {
    requires transitive dev.sedge.core;
    requires ai.djl.api;

    exports dev.sedge.train to dev.sedge.cli;

    provides dev.sedge.core.model.ModelFactory with dev.sedge.train.SessionModel.Factory;
}
