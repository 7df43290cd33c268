/**
 * The spectral engine of sedge ({@link dev.sedge.spectral}): the rolling-window Gram matrix of a
 * parameter group's updates, its spectrum, edge directions and the statistics read from it (k*, g23,
 * the BBP threshold), defined once here for spectrum.csv and the detectors alike. Needs no DJL and no
 * natives: EJML for the small eigenproblem, the Vector API for the kernels.
 */
module dev.sedge.spectral {
    requires transitive dev.sedge.api;
    requires ejml.core;
    requires ejml.ddense;
    requires jdk.incubator.vector; // spectral kernels (FloatVector FMA); resolved with this module, no --add-modules needed on the module path

    exports dev.sedge.spectral;
}
