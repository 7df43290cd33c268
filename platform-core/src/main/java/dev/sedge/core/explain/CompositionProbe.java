package dev.sedge.core.explain;

import dev.sedge.api.basis.Residues;
import dev.sedge.api.task.InputDomain;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The composition probe (docs/science.md, "Probe points and functional modes"): how much of a
 * direction's change Δh_k(x), the whole vector at the probe point, is linear in the characters of
 * addition, of multiplication, of both, and of both with their products. Over the inputs (a, b) of a
 * mod-p task, p prime, with a ≠ 0 and b ≠ 0 (multiplication's characters need discrete logs):
 * <ul>
 *   <li>additive features cos, sin(2πω(a + b)/p), ω = 1..⌊p/2⌋;</li>
 *   <li>multiplicative features cos, sin(2πω(dlog a + dlog b)/(p − 1)), ω = 1..⌊(p − 1)/2⌋, g the
 *       smallest primitive root;</li>
 *   <li>cross-terms: the products of the first {@value #CROSS} additive and the first {@value #CROSS}
 *       multiplicative features (cos, sin of ω = 1..5 each, in that order).</li>
 * </ul>
 * Each set is fitted by ridge regression (α = {@value #ALPHA}, features and Δh centered over the inputs,
 * the intercept not penalised), and scored by the multivariate R² = 1 − Σ‖Δh − Δĥ‖² / Σ‖Δh − mean‖²,
 * in sample. {@link #synergy()} is what the cross-terms add beyond the two characters combined: the
 * x² + y² model's edge is neither additive nor multiplicative, and its change is fitted only once the
 * products are in.
 *
 * @param additive       R² on the additive features
 * @param multiplicative R² on the multiplicative features
 * @param combined       R² on both sets
 * @param crossTerms     R² on both sets and the cross-terms
 */
public record CompositionProbe(double additive, double multiplicative, double combined, double crossTerms) {

    /** The ridge penalty. */
    public static final double ALPHA = 1.0;

    /** How many features of each character set enter the cross-terms. */
    public static final int CROSS = 10;

    /** R² with the cross-terms minus R² without: what the products of the two characters explain. */
    public double synergy() {
        return crossTerms - combined;
    }

    /**
     * The probe's features over a domain: made once, fitted to each direction's change.
     *
     * @return empty unless the domain has coordinates {@code a} and {@code b} of one prime modulus p ≥ 5
     */
    static Optional<Features> features(InputDomain domain) {
        int p = domain.sharedModulus(List.of("a", "b")).orElse(0);
        if (p < 5 || !Residues.isPrime(p)) {
            return Optional.empty();
        }
        return Optional.of(new Features(domain, p));
    }

    /** The centered feature matrix X over the inputs with a, b ≠ 0, and its Gram XᵀX. */
    static final class Features {
        private final int[] rows;
        private final int additive;
        private final int multiplicative;
        private final DMatrixRMaj x;
        private final DMatrixRMaj gram;

        private Features(InputDomain domain, int p) {
            int[] a = domain.values("a");
            int[] b = domain.values("b");
            this.rows = IntStream.range(0, domain.size()).filter(i -> a[i] != 0 && b[i] != 0).toArray();
            int[] log = Residues.discreteLogs(p, Residues.smallestPrimitiveRoot(p));
            this.additive = 2 * (p / 2);
            this.multiplicative = 2 * ((p - 1) / 2);
            int columns = additive + multiplicative + CROSS * CROSS;
            this.x = new DMatrixRMaj(rows.length, columns);
            for (int r = 0; r < rows.length; r++) {
                int i = rows[r];
                characters(r, 0, (a[i] + b[i]) % p, p, additive / 2);
                characters(r, additive, (log[a[i]] + log[b[i]]) % (p - 1), p - 1, multiplicative / 2);
                for (int s = 0; s < CROSS; s++) {
                    for (int t = 0; t < CROSS; t++) {
                        x.set(r, additive + multiplicative + s * CROSS + t, x.get(r, s) * x.get(r, additive + t));
                    }
                }
            }
            center(x);
            this.gram = new DMatrixRMaj(columns, columns);
            CommonOps_DDRM.multTransA(x, x, gram);
        }

        private void characters(int row, int from, int q, int modulus, int frequencies) {
            for (int w = 1; w <= frequencies; w++) {
                double angle = 2 * Math.PI * ((long) w * q % modulus) / modulus;
                x.set(row, from + 2 * (w - 1), Math.cos(angle));
                x.set(row, from + 2 * (w - 1) + 1, Math.sin(angle));
            }
        }

        /**
         * Fits each feature set to one direction's change.
         *
         * @param change Δh_k, one row per domain input; not modified
         * @return the four R²; NaN where the change has no variance over the inputs
         */
        CompositionProbe fit(double[][] change) {
            int width = change[0].length;
            DMatrixRMaj y = new DMatrixRMaj(rows.length, width);
            for (int r = 0; r < rows.length; r++) {
                for (int j = 0; j < width; j++) {
                    y.set(r, j, change[rows[r]][j]);
                }
            }
            center(y);
            double total = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementMult(y, y, null));
            DMatrixRMaj xty = new DMatrixRMaj(x.numCols, width);
            CommonOps_DDRM.multTransA(x, y, xty);
            int[] add = range(0, additive);
            int[] mul = range(additive, additive + multiplicative);
            int[] both = range(0, additive + multiplicative);
            int[] all = range(0, x.numCols);
            return new CompositionProbe(r2(add, xty, total), r2(mul, xty, total), r2(both, xty, total),
                    r2(all, xty, total));
        }

        /**
         * R² of the ridge fit on the columns {@code set}, from the Gram alone: with β = (G + αI)⁻¹Xᵀy,
         * the residual is ‖y‖² − 2 tr(βᵀXᵀy) + tr(βᵀGβ).
         */
        private double r2(int[] set, DMatrixRMaj xty, double total) {
            if (!(total > 0)) {
                return Double.NaN;
            }
            int m = set.length;
            DMatrixRMaj g = new DMatrixRMaj(m, m);
            DMatrixRMaj rhs = new DMatrixRMaj(m, xty.numCols);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    g.set(i, j, gram.get(set[i], set[j]) + (i == j ? ALPHA : 0));
                }
                for (int j = 0; j < xty.numCols; j++) {
                    rhs.set(i, j, xty.get(set[i], j));
                }
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(m);
            if (!solver.setA(g.copy())) {
                throw new IllegalStateException("ridge system not positive definite: G + " + ALPHA + " I");
            }
            DMatrixRMaj beta = new DMatrixRMaj(m, xty.numCols);
            solver.solve(rhs, beta);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    g.set(i, j, gram.get(set[i], set[j]));
                }
            }
            DMatrixRMaj gBeta = new DMatrixRMaj(m, xty.numCols);
            CommonOps_DDRM.mult(g, beta, gBeta);
            double residual = total - 2 * dot(beta, rhs) + dot(beta, gBeta);
            return 1 - residual / total;
        }

        private static double dot(DMatrixRMaj a, DMatrixRMaj b) {
            double sum = 0;
            for (int i = 0; i < a.data.length; i++) {
                sum += a.data[i] * b.data[i];
            }
            return sum;
        }

        private static int[] range(int from, int to) {
            return IntStream.range(from, to).toArray();
        }

        private static void center(DMatrixRMaj m) {
            for (int j = 0; j < m.numCols; j++) {
                double mean = 0;
                for (int i = 0; i < m.numRows; i++) {
                    mean += m.get(i, j);
                }
                mean /= m.numRows;
                for (int i = 0; i < m.numRows; i++) {
                    m.set(i, j, m.get(i, j) - mean);
                }
            }
        }
    }
}
