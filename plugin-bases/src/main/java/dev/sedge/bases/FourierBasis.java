package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import java.util.Optional;

/**
 * Fourier modes over one coordinate q ∈ Z_M of the inputs (docs/science.md, "Probe points and functional modes"),
 * as {@link ResidueFourier} computes them. The uniform baseline is 1/⌊M/2⌋ ≈ 2/M.
 *
 * <p>With the default coordinate {@code y} (the task's output) this is the additive basis
 * (q = (a + b) mod p for mod-add, (a − b) mod p for mod-sub) and the raw basis for mod-mul.
 */
public final class FourierBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Fourier modes over one integer coordinate of the inputs (DC excluded)",
            ConfigKey.ofString("coordinate", "y", "the input coordinate q to group by, e.g. y (the output), a, b"));

    @Override
    public String name() {
        return "fourier";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        String coordinate = config.stringValue("coordinate");
        if (!domain.hasCoordinate(coordinate) || domain.modulus(coordinate) < 2) {
            return Optional.empty();
        }
        return Optional.of(new ResidueFourier("fourier over " + coordinate + " (mod " + domain.modulus(coordinate) + ")",
                domain.modulus(coordinate), domain.values(coordinate)));
    }
}
