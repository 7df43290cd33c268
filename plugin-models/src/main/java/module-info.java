/**
 * Built-in sedge plugins: DJL architectures. Exports nothing; provides services (also listed in
 * {@code META-INF/services} for the class path).
 */
module dev.sedge.models {
    requires dev.sedge.api.djl;

    provides dev.sedge.api.djl.model.Architecture with
            dev.sedge.models.Mlp2Architecture,
            dev.sedge.models.TransformerArchitecture,
            dev.sedge.models.CausalTransformerArchitecture,
            dev.sedge.models.EncoderDecoderArchitecture;
}
