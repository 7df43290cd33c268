package dev.sedge.spectral;

import dev.sedge.api.NumericException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The eigendecomposition of a small symmetric positive semi-definite matrix (a W × W Gram), by
 * EJML, sorted here (EJML's order is never assumed) and cleaned: eigenvalues below zero, which
 * only rounding makes, are clamped to 0.
 *
 * <p>Immutable by convention: the arrays it hands out are its own and must not be modified
 * (package-private, used by the engine only).
 */
final class SymmetricEigen {

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes {@code matrix}.
     *
     * @param matrix n × n, symmetric, finite; not modified
     * @param where  for messages: {@code "the window ending at step 1200"}
     * @throws NumericException if an entry is not finite or EJML reports no convergence
     */
    static SymmetricEigen of(double[][] matrix, String where) {
        int n = matrix.length;
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = matrix[i][j];
                if (!Double.isFinite(v)) {
                    throw new NumericException("the " + n + "×" + n + " Gram matrix of " + where + " has entry ("
                            + (i + 1) + "," + (j + 1) + ") = " + v + "; expected finite inner products. The updates"
                            + " are too large for double: rescale the parameter group or check the run for divergence");
                }
                m.unsafe_set(i, j, v);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new NumericException("EJML's symmetric eigendecomposition of the " + n + "×" + n + " Gram matrix of "
                    + where + " did not converge; expected convergence for a finite symmetric matrix. Report this"
                    + " with the run's updates attached");
        }
        Integer[] order = new Integer[n];
        double[] raw = new double[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
            raw[j] = eig.getEigenvalue(j).getReal();
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(raw[b], raw[a]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = Math.max(0.0, raw[src]);
            DMatrixRMaj v = eig.getEigenVector(src);
            if (v == null) {
                throw new NumericException("EJML returned no eigenvector for eigenvalue " + raw[src] + " of the Gram"
                        + " matrix of " + where + "; expected real eigenvectors of a symmetric matrix");
            }
            double norm = 0;
            for (int r = 0; r < n; r++) {
                norm += v.get(r) * v.get(r);
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < n; r++) {
                vectors[r][j] = v.get(r) / norm;
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** Eigenvalues, non-increasing, ≥ 0; length n. The object's own array: do not modify. */
    double[] values() {
        return values;
    }

    /**
     * n × n; {@code vectors()[r][j]} is component r of the unit eigenvector of {@code values()[j]}
     * (column j), sign as EJML returned it. The object's own array: do not modify.
     */
    double[][] vectors() {
        return vectors;
    }

    /** Column j (0-based) as a new array. */
    double[] vector(int j) {
        double[] out = new double[vectors.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = vectors[r][j];
        }
        return out;
    }
}
