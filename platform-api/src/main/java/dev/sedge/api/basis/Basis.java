package dev.sedge.api.basis;

import java.util.Map;

/** A basis made for one input domain. Stateless after creation; thread-safe. */
public interface Basis {

    /** What the modes are over, for reports: {@code fourier over y (mod 97)}. */
    String label();

    /**
     * Projects a function over the domain onto this basis's modes.
     *
     * @param function one value per domain input, indexed like the domain; not modified
     * @throws IllegalArgumentException if the length differs from the domain's size
     * @throws dev.sedge.api.NumericException if a value is NaN or infinite
     */
    ModeSpectrum project(double[] function);

    /**
     * Named shares of a spectrum's power that say more than its peak, for reports: a 2-D Fourier basis
     * over (a, b) splits it into {@code diagonal} (modes of a + b), {@code anti_diagonal} (of a − b) and
     * {@code off_diagonal}. Names are lower snake_case; the shares of a basis that has them usually sum
     * to 1. None unless the basis says otherwise.
     *
     * @param spectrum a spectrum this basis projected
     * @return an immutable map, in the basis's order
     */
    default Map<String, Double> shares(ModeSpectrum spectrum) {
        return Map.of();
    }
}
