package dev.sedge.spectral;

/**
 * Geometry of edge directions computed from inner products alone (never from the p-dimensional
 * vectors): centering, cosines between directions of two windows or two half-windows, principal
 * angles, stability α in both forms, ‖ΔG‖_F and the adiabatic parameter (docs/science.md, "The rolling-window Gram
 * matrix").
 *
 * <p>Directions are represented by their coefficients on the rows: v = Xᵀc with c = C u / σ
 * (C the centering projector, or the identity), so ⟨v, v'⟩ = cᵀ K c' with K_ab = ⟨δ_a, δ'_b⟩.
 * Matrices are {@code double[row][column]}; no argument is modified.
 */
final class WindowGeometry {

    private WindowGeometry() {
    }

    /** C G C with C = I − 11ᵀ/n: the Gram of the rows after subtracting their mean. A new n × n matrix. */
    static double[][] centered(double[][] g) {
        int n = g.length;
        double[] rowMean = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += g[i][j];
            }
            rowMean[i] = s / n;
            total += s;
        }
        total /= (double) n * n;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = g[i][j] - rowMean[i] - rowMean[j] + total;
            }
        }
        return c;
    }

    /**
     * Row coefficients of the directions: column j of the result is C u_j / σ_j (all zero when σ_j = 0,
     * the direction being undefined).
     *
     * @param eig      the eigendecomposition of the (centered, if {@code center}) Gram, n × n
     * @param sigma    σ_j = sqrt(λ_j), length n
     * @param center   whether C removes the mean
     * @return n × n, {@code [row][direction]}
     */
    static double[][] coefficients(SymmetricEigen eig, double[] sigma, boolean center) {
        int n = sigma.length;
        double[][] c = new double[n][n];
        for (int j = 0; j < n; j++) {
            if (!(sigma[j] > 0)) {
                continue;
            }
            double mean = 0;
            if (center) {
                for (int r = 0; r < n; r++) {
                    mean += eig.vectors()[r][j];
                }
                mean /= n;
            }
            for (int r = 0; r < n; r++) {
                c[r][j] = (eig.vectors()[r][j] - mean) / sigma[j];
            }
        }
        return c;
    }

    /**
     * cos_ij = ⟨v_i, v'_j⟩ = c_iᵀ K c'_j; NaN where either direction is undefined (σ = 0).
     *
     * @param c      coefficients of the first set, m × m, {@code [row][direction]}
     * @param sigma  singular values of the first set, length m (to mark undefined directions)
     * @param k      cross inner products, m × n: K_ab = ⟨δ_a, δ'_b⟩
     * @param c2     coefficients of the second set, n × n
     * @param sigma2 singular values of the second set, length n
     * @param count  how many directions of each set, ≤ min(m, n)
     * @return count × count
     */
    static double[][] cosines(double[][] c, double[] sigma, double[][] k, double[][] c2, double[] sigma2, int count) {
        int m = c.length;
        int n = c2.length;
        double[][] kc2 = new double[m][count];
        for (int a = 0; a < m; a++) {
            for (int j = 0; j < count; j++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    s += k[a][b] * c2[b][j];
                }
                kc2[a][j] = s;
            }
        }
        double[][] cos = new double[count][count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                if (!(sigma[i] > 0) || !(sigma2[j] > 0)) {
                    cos[i][j] = Double.NaN;
                    continue;
                }
                double s = 0;
                for (int a = 0; a < m; a++) {
                    s += c[a][i] * kc2[a][j];
                }
                cos[i][j] = s;
            }
        }
        return cos;
    }

    /** The rotation of each edge direction since the previous window: {@link #angleDegrees} of cos[j][j]. */
    static double[] rotations(double[][] cos) {
        double[] out = new double[cos.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = angleDegrees(cos[j][j]);
        }
        return out;
    }

    /** arccos |x| in degrees, |x| clamped to 1; NaN stays NaN. */
    static double angleDegrees(double cosine) {
        return Double.isNaN(cosine) ? Double.NaN : Math.toDegrees(Math.acos(Math.min(1.0, Math.abs(cosine))));
    }

    /**
     * The largest principal angle, in degrees, between span(v_1..v_k) and span(v'_1..v'_k), from the
     * k × k block of cosines (their singular values are the cosines of the principal angles). NaN if
     * any cosine in the block is NaN.
     */
    static double largestPrincipalAngle(double[][] cos, int k) {
        double[][] mtm = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int a = 0; a < k; a++) {
                    if (Double.isNaN(cos[a][i]) || Double.isNaN(cos[a][j])) {
                        return Double.NaN;
                    }
                    s += cos[a][i] * cos[a][j];
                }
                mtm[i][j] = s;
            }
        }
        double[] values = SymmetricEigen.of(mtm, "a principal-angle problem").values();
        return angleDegrees(Math.sqrt(values[k - 1]));
    }

    /** ‖A − B‖_F for two n × n matrices (positional: entry (i, j) of each window, oldest row first). */
    static double frobeniusDistance(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                double d = a[i][j] - b[i][j];
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Davis–Kahan stability α_j = max(0, 1 − ‖ΔG‖²_F / gap_j²), gap_j = λ_j − λ_{j+1}: the stability of
     * span(v_1..v_j). j = 1..W−1; 0 where gap_j = 0; NaN when ‖ΔG‖ is NaN (no previous window).
     *
     * @param lambda eigenvalues, length W
     */
    static double[] alphaDavisKahan(double[] lambda, double deltaG) {
        double[] alpha = new double[lambda.length - 1];
        for (int j = 0; j < alpha.length; j++) {
            double gap = lambda[j] - lambda[j + 1];
            if (Double.isNaN(deltaG)) {
                alpha[j] = Double.NaN;
            } else if (!(gap > 0)) {
                alpha[j] = 0;
            } else {
                alpha[j] = Math.max(0.0, 1.0 - deltaG * deltaG / (gap * gap));
            }
        }
        return alpha;
    }

    /**
     * A = ‖ΔG‖_F / (η g²), g = λ_k* − λ_{k*+1}. NaN when η or ‖ΔG‖ is NaN; 0 when ‖ΔG‖ = 0;
     * +∞ when g = 0 &lt; ‖ΔG‖.
     */
    static double adiabatic(double deltaG, double learningRate, double[] lambda, int kstar) {
        if (Double.isNaN(deltaG) || Double.isNaN(learningRate)) {
            return Double.NaN;
        }
        if (deltaG == 0) {
            return 0;
        }
        double g = lambda[kstar - 1] - lambda[kstar];
        return deltaG / (learningRate * g * g);
    }

    /**
     * Stability α_j = |⟨v_j(first half), v_j(second half)⟩|, j = 1..⌊W/2⌋; the first half is the oldest
     * ⌊W/2⌋ rows, the second the remaining ⌈W/2⌉. Each half is centered by its own mean when
     * {@code center}. NaN where a half has no j-th direction (σ = 0).
     *
     * @param g the window's uncentered Gram, W × W
     */
    static double[] alphaHalves(double[][] g, boolean center, String where) {
        int w = g.length;
        int h = w / 2;
        double[][] g1 = block(g, 0, h, 0, h);
        double[][] g2 = block(g, h, w, h, w);
        double[][] k = block(g, 0, h, h, w);
        if (center) {
            g1 = centered(g1);
            g2 = centered(g2);
            k = centeredCross(k);
        }
        SymmetricEigen e1 = SymmetricEigen.of(g1, where + " (first half)");
        SymmetricEigen e2 = SymmetricEigen.of(g2, where + " (second half)");
        double[] s1 = sqrt(e1.values());
        double[] s2 = sqrt(e2.values());
        if (center) { // a centered half has rank at most its length − 1: its last σ is zero by construction
            s1[s1.length - 1] = 0;
            s2[s2.length - 1] = 0;
        }
        double[][] cos = cosines(coefficients(e1, s1, false), s1, k, coefficients(e2, s2, false), s2, h);
        double[] alpha = new double[h];
        for (int j = 0; j < h; j++) {
            alpha[j] = Math.abs(cos[j][j]);
        }
        return alpha;
    }

    /** Element-wise square roots. */
    static double[] sqrt(double[] values) {
        double[] s = new double[values.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = Math.sqrt(values[j]);
        }
        return s;
    }

    /** Rows [r0, r1), columns [c0, c1) of {@code g}, as a new matrix. */
    static double[][] block(double[][] g, int r0, int r1, int c0, int c1) {
        double[][] b = new double[r1 - r0][c1 - c0];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(g[i], c0, b[i - r0], 0, c1 - c0);
        }
        return b;
    }

    /** C_m K C_n: cross inner products after centering each side by its own mean. */
    private static double[][] centeredCross(double[][] k) {
        int m = k.length;
        int n = k[0].length;
        double[] rowMean = new double[m];
        double[] colMean = new double[n];
        double total = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rowMean[i] += k[i][j] / n;
                colMean[j] += k[i][j] / m;
                total += k[i][j];
            }
        }
        total /= (double) m * n;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = k[i][j] - rowMean[i] - colMean[j] + total;
            }
        }
        return c;
    }
}
