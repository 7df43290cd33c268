package dev.sedge.api.basis;

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
}
