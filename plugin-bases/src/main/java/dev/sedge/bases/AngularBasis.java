package dev.sedge.bases;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import java.util.Optional;

/**
 * Fourier modes over the angle of (a, b) mod p: with u = dlog_g(a + i_p b) and v = dlog_g(a − i_p b)
 * as for {@link GaussianBasis} ({@link GaussianLogs}), q = (u − v) mod (p − 1) and the modes
 * ω = 1..(p − 1)/2 of Z_{p−1} ({@link ResidueFourier}). The angle is what a² + b² forgets: pairs on
 * one "circle" a² + b² ≡ c share u + v and differ in u − v. Pairs with a² + b² ≡ 0 are left out.
 *
 * <p>Applies when the domain has coordinates a and b with one modulus p, a prime ≡ 1 (mod 4);
 * otherwise {@link #create} returns empty.
 */
public final class AngularBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Fourier modes over the angle dlog(a + i b) − dlog(a − i b) mod a prime p ≡ 1 (mod 4)");

    @Override
    public String name() {
        return "angular";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        return GaussianLogs.of(domain).map(logs -> {
            int m = logs.p() - 1;
            int[] q = new int[logs.u().length];
            for (int k = 0; k < q.length; k++) {
                q[k] = logs.u()[k] < 0 ? -1 : Math.floorMod(logs.u()[k] - logs.v()[k], m);
            }
            return new ResidueFourier("fourier over " + logs.plus() + " − " + logs.minus() + " (" + logs.constants()
                    + ")", m, q);
        });
    }
}
