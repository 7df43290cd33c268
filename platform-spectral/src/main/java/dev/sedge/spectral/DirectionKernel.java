package dev.sedge.spectral;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Linear combinations of stored updates, {@code out[j] = Σ_r coefficients[j][r] · rows[r]}: how an
 * edge direction v_j = Xᵀu_j/σ_j is formed from a window. One pass over the window, block by block,
 * float FMA (W terms per element, so the float error stays near W·2⁻²⁴ relative).
 */
final class DirectionKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private DirectionKernel() {
    }

    /**
     * @param rows         the window's updates, each of length p; not modified
     * @param coefficients k × rows.length; not modified
     * @param threads      the most threads to use, ≥ 1
     * @return k new arrays of length p
     */
    static float[][] combine(float[][] rows, double[][] coefficients, int threads) {
        int p = rows[0].length;
        int k = coefficients.length;
        float[][] out = new float[k][p];
        float[][] c = new float[k][rows.length];
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < rows.length; r++) {
                c[j][r] = (float) coefficients[j][r];
            }
        }
        int segments = Math.max(1, (p + GramKernel.SEGMENT - 1) / GramKernel.SEGMENT);
        ParallelSegments.run(segments, threads, (first, last) -> {
            int from = first * GramKernel.SEGMENT;
            int to = (int) Math.min(p, (long) last * GramKernel.SEGMENT);
            for (int b = from; b < to; b += GramKernel.BLOCK) {
                int e = Math.min(to, b + GramKernel.BLOCK);
                for (int j = 0; j < k; j++) {
                    for (int r = 0; r < rows.length; r++) {
                        axpy(c[j][r], rows[r], out[j], b, e);
                    }
                }
            }
        });
        return out;
    }

    private static void axpy(float a, float[] x, float[] y, int b, int e) {
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        int i = b;
        int bound = b + SPECIES.loopBound(e - b);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).fma(av, FloatVector.fromArray(SPECIES, y, i)).intoArray(y, i);
        }
        for (; i < e; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
    }
}
