package dev.sedge.spectral;

import java.util.List;

/**
 * How a snapshot θ of length p is cut into pieces (one per tensor of a parameter group): piece t holds
 * elements {@code [starts[t], starts[t + 1])}. Immutable.
 */
final class PieceLayout {

    private final long[] starts;

    /**
     * @param lengths each piece's element count, ≥ 0, in order; at least one
     * @throws IllegalArgumentException for no piece, a negative length, or more than 2³¹ − 16 elements in all
     */
    PieceLayout(List<Long> lengths) {
        if (lengths.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs at least one piece");
        }
        starts = new long[lengths.size() + 1];
        for (int t = 0; t < lengths.size(); t++) {
            long length = lengths.get(t);
            if (length < 0) {
                throw new IllegalArgumentException("piece " + t + " has a negative length " + length);
            }
            starts[t + 1] = starts[t] + length;
        }
        if (starts[lengths.size()] < 1 || starts[lengths.size()] > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the pieces hold " + starts[lengths.size()]
                    + " elements in all; a snapshot needs 1 to 2^31 - 16");
        }
    }

    /** p, the elements in all. */
    int dimension() {
        return (int) starts[starts.length - 1];
    }

    int pieces() {
        return starts.length - 1;
    }

    /** Piece t's element count. */
    long length(int t) {
        return starts[t + 1] - starts[t];
    }

    /** The first element of each piece, then p; the caller must not modify it. */
    long[] starts() {
        return starts;
    }
}
