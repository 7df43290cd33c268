package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import java.util.List;
import java.util.Optional;

/**
 * 2-D Fourier modes over two coordinates (a, b) ∈ Z_M × Z_M of the inputs, as
 * {@link ResidueFourier2d} computes them: the characters (u, v) ≠ (0, 0), each merged with (−u, −v)
 * and labelled {@code (u,v)=(3,5)} by the one that comes first ordered by u, then v. Where the 1-D
 * bases see one combination of the inputs, this one sees them all: a function of a + b lies in the
 * modes u ≡ v, of a − b in u ≡ −v, and a mode like (3, 5) in neither.
 *
 * <p>{@link Basis#shares} gives {@code diagonal} (the power in modes with u ≡ v: functions of
 * a + b), {@code anti_diagonal} (u ≡ −v: of a − b) and {@code off_diagonal} (the rest); a mode with
 * both, (M/2, M/2) for an even M, counts as diagonal. Applies when both chosen coordinates exist
 * with one modulus M ≥ 2; otherwise {@link #create} returns empty.
 */
public final class Fourier2dBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "2-D Fourier modes over two integer coordinates of the inputs with one modulus (DC excluded)",
            ConfigKey.ofList("coordinates", "a,b", "the two coordinates (a, b) whose characters are the modes"));

    @Override
    public String name() {
        return "fourier2d";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        List<String> coordinates = config.listValue("coordinates");
        int m = domain.sharedModulus(coordinates).orElse(0);
        if (coordinates.size() != 2 || m < 2) {
            return Optional.empty();
        }
        String first = coordinates.get(0);
        String second = coordinates.get(1);
        return Optional.of(new ResidueFourier2d("fourier over (" + first + ", " + second + ") (mod " + m + ")", m,
                domain.values(first), domain.values(second), "diagonal", "anti_diagonal", "off_diagonal"));
    }
}
