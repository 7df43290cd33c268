package dev.sedge.api.basis;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.task.InputDomain;
import java.util.Optional;

/**
 * A family of functions over a task's inputs (Fourier over a coordinate, discrete log, depth …)
 * in which an edge direction, read as a function over the inputs, may turn out to be one clean
 * mode.
 */
public interface FunctionalBasis extends Plugin {

    /**
     * Makes the basis for {@code domain}, or nothing when it does not apply (the coordinate it
     * needs is missing, the modulus is not prime …).
     *
     * @param config scoped to {@code basis}
     */
    Optional<Basis> create(PluginConfig config, InputDomain domain);
}
