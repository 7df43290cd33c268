package dev.sedge.core.repulsion;

/**
 * The level metric ρ of the Feature Repulsion paper (docs/science.md, "The level metric"), in its
 * two readings. With F the n × K features of the n training examples and G = FFᵀ their n × n Gram:
 * <ul>
 *   <li>{@link Reading#RAW}: ρ = ‖G − D‖_F / ‖G‖_F, D the matrix with the mean diagonal entry a of G
 *       on its diagonal and its mean off-diagonal entry b off it: how far the Gram is from the
 *       structureless aI + b(11ᵀ − I). The reading that gives the paper's published numbers.</li>
 *   <li>{@link Reading#CENTERED}: the same with P⊥G in place of G in the numerator (P⊥ = I − 11ᵀ/n
 *       centering over the examples, applied on the left), as the paper's text writes it.</li>
 * </ul>
 * Both come from sums that the K × K Gram S = FᵀF gives as well ({@link #rhoFromFeatures}): ‖G‖ = ‖S‖,
 * tr G = tr S, 1ᵀG1 = ‖s‖² with s = Fᵀ1, ‖P⊥G‖² = ‖S‖² − sᵀSs/n and tr P⊥G = tr G − 1ᵀG1/n, while
 * the entries of P⊥G sum to 0. So ρ costs the smaller of n²K and nK² multiply-adds, whichever Gram
 * is formed. Stateless.
 */
public final class LevelMetric {

    /** The paper's firing threshold. */
    public static final double THRESHOLD = 0.075;

    private LevelMetric() {
    }

    /** Which matrix is compared with aI + b(11ᵀ − I). */
    public enum Reading {
        /** FFᵀ itself: the paper's numbers. */
        RAW,
        /** P⊥FFᵀ, the paper's formula as written. */
        CENTERED
    }

    /**
     * ρ from the Gram, accumulated in float64.
     *
     * @param gram    FFᵀ, n × n, row-major (symmetric); not modified
     * @param reading which matrix the numerator compares
     * @return ρ in [0, 1]; NaN if FFᵀ is zero
     * @throws IllegalArgumentException if {@code gram} is not n × n with n &ge; 2
     */
    public static double rho(float[] gram, int n, Reading reading) {
        if (n < 2 || (long) n * n != gram.length) {
            throw new IllegalArgumentException("expected an n x n Gram with n >= 2, found n = " + n + " and "
                    + gram.length + " values");
        }
        double[] columnMean = new double[n];
        double total = 0; // ‖FFᵀ‖²
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double g = gram[row + j];
                columnMean[j] += g;
                total += g * g;
            }
        }
        for (int j = 0; j < n; j++) {
            columnMean[j] = reading == Reading.CENTERED ? columnMean[j] / n : 0;
        }
        // S = P⊥G (S_ij = G_ij − mean_r G_rj), or G itself for RAW. Its squares, trace and sum, then a, b and ‖S − D‖² from them.
        double squares = 0;
        double trace = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double v = gram[row + j] - columnMean[j];
                squares += v * v;
                sum += v;
            }
            trace += gram[row + i] - columnMean[i];
        }
        return rho(n, total, squares, trace, sum);
    }

    /**
     * ρ from the features' K × K Gram, for n &gt; K where it is the cheaper one: the same value as
     * {@link #rho(float[], int, Reading)} of FFᵀ, up to rounding.
     *
     * @param featureGram FᵀF, K × K, row-major (symmetric); not modified
     * @param columnSums  s = Fᵀ1, the K column sums of F; not modified
     * @param n           the number of examples (rows of F), &ge; 2
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public static double rhoFromFeatures(float[] featureGram, double[] columnSums, int n, Reading reading) {
        int k = columnSums.length;
        if (n < 2 || k < 1 || (long) k * k != featureGram.length) {
            throw new IllegalArgumentException("expected a K x K Gram with K = " + k + " column sums and n >= 2,"
                    + " found n = " + n + " and " + featureGram.length + " values");
        }
        double total = 0; // ‖FᵀF‖² = ‖FFᵀ‖²
        double trace = 0; // tr FᵀF = tr FFᵀ
        double sSs = 0;   // sᵀ S s = ‖FFᵀ1‖²
        for (int i = 0; i < k; i++) {
            int row = i * k;
            double si = 0;
            for (int j = 0; j < k; j++) {
                double g = featureGram[row + j];
                total += g * g;
                si += g * columnSums[j];
            }
            trace += featureGram[row + i];
            sSs += si * columnSums[i];
        }
        double ones = 0; // 1ᵀ FFᵀ 1 = ‖s‖²
        for (double c : columnSums) {
            ones += c * c;
        }
        return reading == Reading.RAW ? rho(n, total, total, trace, ones)
                : rho(n, total, total - sSs / n, trace - ones / n, 0);
    }

    /**
     * ρ from the sums of S (G or P⊥G): ‖S − D‖² = Σ_i (S_ii − a)² + Σ_{i≠j} (S_ij − b)²
     * = ‖S‖² − n a² − n(n − 1) b², with a and b the means of the diagonal and off-diagonal entries.
     */
    private static double rho(int n, double total, double squares, double trace, double sum) {
        double a = trace / n;
        double b = (sum - trace) / ((double) n * (n - 1));
        double residual = Math.max(0, squares - n * a * a - (double) n * (n - 1) * b * b);
        return total == 0 ? Double.NaN : Math.sqrt(residual / total);
    }
}
