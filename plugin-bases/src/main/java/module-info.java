/** Built-in sedge functional bases. Exports nothing; provides services. */
module dev.sedge.bases {
    requires dev.sedge.api;

    provides dev.sedge.api.basis.FunctionalBasis with dev.sedge.bases.FourierBasis, dev.sedge.bases.DiscreteLogBasis,
            dev.sedge.bases.Fourier2dBasis, dev.sedge.bases.GaussianBasis, dev.sedge.bases.AngularBasis,
            dev.sedge.bases.DepthBasis;
}
