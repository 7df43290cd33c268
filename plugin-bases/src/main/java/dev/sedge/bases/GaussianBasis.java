package dev.sedge.bases;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import java.util.Optional;

/**
 * 2-D Fourier modes over the logs of the Gaussian factors of a² + b² mod p: with i_p the smallest
 * square root of −1 and g the smallest primitive root mod p, u = dlog_g(a + i_p b) and
 * v = dlog_g(a − i_p b) in Z_{p−1} ({@link GaussianLogs}), and the modes are the characters of
 * (u, v) ∈ Z_{p−1}², merged with their conjugates ({@link ResidueFourier2d}; p − 1 is even, so
 * (0, (p − 1)/2), ((p − 1)/2, 0) and ((p − 1)/2, (p − 1)/2) are their own). These are the characters of
 * the Gaussian integers mod p: x² + y² is their product, a function of u + v alone. Pairs with
 * a² + b² ≡ 0 are left out.
 *
 * <p>{@link Basis#shares} gives {@code norm} (modes with u ≡ v: functions of u + v = dlog(a² + b²),
 * the discrete log of the x² + y² output), {@code angle} (u ≡ −v: functions of the angle u − v, as
 * {@link AngularBasis} sees it) and {@code mixed} (the rest). Applies when the domain has
 * coordinates a and b with one modulus p, a prime ≡ 1 (mod 4); otherwise {@link #create} returns
 * empty (for p ≡ 3 (mod 4), −1 is no square and a² + b² does not factor).
 */
public final class GaussianBasis implements FunctionalBasis {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "2-D Fourier modes over the discrete logs of a + i b and a − i b mod a prime p ≡ 1 (mod 4)");

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        return GaussianLogs.of(domain).map(logs -> new ResidueFourier2d(
                "fourier over (" + logs.plus() + ", " + logs.minus() + ") (" + logs.constants() + ")",
                logs.p() - 1, logs.u(), logs.v(), "norm", "angle", "mixed"));
    }
}
