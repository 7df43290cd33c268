package dev.sedge.spectral;

import dev.sedge.api.NumericException;

/** The {@link NumericException} for an update (or snapshot) that holds NaN or ±∞, naming the step and the first bad index. */
final class NonFiniteUpdate {

    private NonFiniteUpdate() {
    }

    /** The index of the first NaN or ±∞ in {@code x}, or −1. {@code x} is not modified. */
    static int firstBadIndex(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The exception for {@code x}, which was found to be unusable at {@code step}.
     *
     * @param what {@code "update"} or {@code "snapshot"}
     * @param x    the offending vector; not modified
     */
    static NumericException of(String what, long step, float[] x) {
        int bad = firstBadIndex(x);
        return bad >= 0 ? at(what, step, bad, x[bad], x.length) : overflow(what, step);
    }

    /** The exception for a vector of length p found holding {@code value} (NaN or ±∞) at {@code index}. */
    static NumericException at(String what, long step, long index, float value, long p) {
        return new NumericException("the " + what + " at step " + step + " holds " + value + " at index " + index
                + " (of p = " + p + "); expected finite values. Training diverged or the checkpoint is"
                + " corrupt: analyse the run up to the step before, or lower the learning rate and re-train");
    }

    /** The exception for a finite vector whose squared norm overflows the float accumulation. */
    static NumericException overflow(String what, long step) {
        return new NumericException("the " + what + " at step " + step + " is finite but its squared norm overflows"
                + " float accumulation (an entry beyond about 1e17); expected updates of ordinary magnitude. Rescale"
                + " the parameter group or check the run for divergence");
    }
}
