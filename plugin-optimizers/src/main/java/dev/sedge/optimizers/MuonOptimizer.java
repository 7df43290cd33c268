package dev.sedge.optimizers;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.util.List;

/**
 * {@code muon}: Newton–Schulz-orthogonalised momentum for 2-D weights (the reference Muon of
 * github.com/KellerJordan/Muon, in float32 rather than bfloat16), AdamW for every parameter that
 * is not 2-D and, by the {@code adamw-parameters} globs, for embeddings and readout heads (as its
 * {@code MuonWithAuxAdam}). See {@link MuonRun} for the update and its exact weight-decay part.
 *
 * <p>Stateless and thread-safe.
 */
public final class MuonOptimizer implements Optimizer {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Muon (Newton-Schulz orthogonalised momentum) for 2-D weights, AdamW for the rest; "
                    + "exact weight-decay split",
            MuonConfig.KEYS.toArray(ConfigKey[]::new));

    /** For {@link java.util.ServiceLoader}. */
    public MuonOptimizer() {
    }

    @Override
    public String name() {
        return "muon";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sedge.api.ConfigException for a value out of range
     * @throws IllegalArgumentException      for duplicate or non-floating parameters
     */
    @Override
    public OptimizerRun create(PluginConfig config, List<TensorInfo> parameters) {
        return new MuonRun(MuonConfig.from(config), parameters);
    }
}
