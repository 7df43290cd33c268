package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.Residues;
import dev.sedge.api.task.InputDomain;
import java.util.List;
import java.util.Optional;

/**
 * Fourier modes over the discrete logarithm (docs/science.md, "Probe points and functional modes"): with
 * g the smallest primitive root mod p, q = (Σ_c dlog_g c) mod (p − 1) over the chosen coordinates,
 * and the modes ω = 1..⌊(p − 1)/2⌋ of Z_{p−1} ({@link ResidueFourier}). Multiplication mod p is
 * addition of discrete logs, so a multiplication model's modes are clean here where the raw output's
 * are not. Inputs with a zero coordinate have no logarithm and are left out.
 *
 * <p>Applies when every chosen coordinate exists with one modulus p that is a prime ≥ 3; otherwise
 * {@link #create} returns empty (Z_p^× is cyclic only for a prime, and the basis would lie).
 * With the default {@code a,b} this is the multiplicative basis; with {@code y} the discrete log of
 * the output.
 */
public final class DiscreteLogBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Fourier modes over the discrete log (smallest primitive root) of coordinates mod a prime",
            ConfigKey.ofList("coordinates", "a,b",
                    "the coordinates whose discrete logs are summed: a,b (the multiplicative basis) or y"));

    @Override
    public String name() {
        return "dlog";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        List<String> coordinates = config.listValue("coordinates");
        int p = domain.sharedModulus(coordinates).orElse(0);
        if (p < 3 || !Residues.isPrime(p)) {
            return Optional.empty();
        }
        int g = Residues.smallestPrimitiveRoot(p);
        int[] log = Residues.discreteLogs(p, g);
        int[] q = new int[domain.size()];
        for (int i = 0; i < q.length; i++) {
            int sum = 0;
            for (String c : coordinates) {
                int value = domain.value(c, i);
                if (value == 0) {
                    sum = -1;
                    break;
                }
                sum = (sum + log[value]) % (p - 1);
            }
            q[i] = sum;
        }
        String over = String.join(" + ", coordinates.stream().map(c -> "dlog " + c).toList());
        return Optional.of(new ResidueFourier("fourier over " + over + " (mod " + (p - 1) + ", g = " + g + ")",
                p - 1, q));
    }
}
