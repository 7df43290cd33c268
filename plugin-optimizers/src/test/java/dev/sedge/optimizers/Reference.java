package dev.sedge.optimizers;

/**
 * A double-precision optimizer written from its update rule: the oracle a DJL run is checked
 * against. One flat parameter (row-major for a matrix).
 */
interface Reference {

    /** One step with loss gradient {@code gradient} (not modified); updates {@link #theta()}. */
    void step(double[] gradient);

    /** The current parameter; the live array. */
    double[] theta();

    /** The weight-decay parts of every step so far, summed; the live array. */
    double[] decayPart();
}
