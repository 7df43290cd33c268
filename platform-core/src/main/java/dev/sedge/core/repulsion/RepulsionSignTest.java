package dev.sedge.core.repulsion;

import dev.sedge.api.NumericException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The repulsion sign test of the Feature Repulsion paper (Tian's theorem 6; docs/science.md, "The
 * repulsion sign test"), in float64.
 *
 * <p>F is n × K (one row per training example, one column per hidden unit); F̃ is F with its
 * columns centered over the examples; η &gt; 0 is the weight decay. B = (F̃ᵀF̃ + ηI)⁻¹ comes from
 * Woodbury, B = I/η − F̃ᵀM⁻¹F̃/η² with M = F̃F̃ᵀ + ηI (n × n, Cholesky), so its off-diagonal entries are
 * B_jl = −f̃_jᵀM⁻¹f̃_l / η². The theorem's other side, f̃_jᵀ P_η f̃_l with
 * P_η = I − F̃(F̃ᵀF̃ + ηI)⁻¹F̃ᵀ, is computed through the push-through identity P_η = ηM⁻¹, which is
 * exact and free of the cancellation of I minus a near-projection. The score is the fraction of the
 * {@code pairs} most cosine-similar feature pairs (j &lt; l, by the cosine of f̃_j and f̃_l) whose
 * sign(B_jl) equals −sign(f̃_jᵀ P_η f̃_l).
 *
 * <p>In exact arithmetic the two sides are −q/η² and ηq with the same q = f̃_jᵀM⁻¹f̃_l, so every pair
 * matches whenever q ≠ 0: the result also reports the margin by which the signs are decided, the
 * smallest |q| / √(q_jj q_ll) over the pairs (the cosine of f̃_j and f̃_l in the M⁻¹ inner product,
 * in [0, 1]; a value near the float64 rounding of 1e−16 would mean a sign decided by rounding), and
 * the repulsive fraction, the share of the pairs with B_jl &lt; 0 (q &gt; 0): the same sign test with
 * P_η replaced by the identity, sign(B_jl) = −sign(f̃_jᵀf̃_l) for pairs of positive cosine. That is
 * the score which rises with training as the paper's does (docs/science.md says why and what was
 * measured). Features whose centered column is zero (dead units) have no cosine and take part in no
 * pair. Stateless.
 */
public final class RepulsionSignTest {

    /** The paper's pair count. */
    public static final int DEFAULT_PAIRS = 200;

    private RepulsionSignTest() {
    }

    /**
     * One test's outcome.
     *
     * @param examples   n
     * @param features   K
     * @param eta        η
     * @param pairs      the pairs scored (fewer than asked when fewer live pairs exist)
     * @param matches    the pairs whose signs match
     * @param minCosine  the smallest cosine among the pairs scored
     * @param minMargin  min over the pairs of |q_jl| / √(q_jj q_ll), q = F̃ᵀM⁻¹F̃: how far from 0 the signs were decided
     * @param repulsive  the pairs with B_jl &lt; 0
     */
    public record Result(int examples, int features, double eta, int pairs, int matches, double minCosine,
                         double minMargin, int repulsive) {

        /** The fraction of sign matches, NaN for no pairs. */
        public double score() {
            return pairs == 0 ? Double.NaN : (double) matches / pairs;
        }

        /** The fraction of the pairs with B_jl &lt; 0, NaN for no pairs. */
        public double repulsiveFraction() {
            return pairs == 0 ? Double.NaN : (double) repulsive / pairs;
        }

        /** As JSON-ready values, snake_case keys. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sign_match", score());
            m.put("pairs", pairs);
            m.put("matches", matches);
            m.put("eta", eta);
            m.put("examples", examples);
            m.put("features", features);
            m.put("min_cosine", minCosine);
            m.put("min_margin", minMargin);
            m.put("repulsive_fraction", repulsiveFraction());
            return m;
        }
    }

    /**
     * Runs the test.
     *
     * @param features n × K activations, row-major; not modified
     * @param eta      the weight decay, &gt; 0 (at η = 0, F̃ᵀF̃ of rank &lt; K when K &ge; n has no inverse)
     * @param pairs    how many of the most similar pairs to score, &ge; 1
     * @throws IllegalArgumentException for η &le; 0, a shape that does not fit, or pairs &lt; 1
     * @throws NumericException         for non-finite features, or M not positive definite
     */
    public static Result of(float[] features, int n, int k, double eta, int pairs) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("the sign test needs a weight decay eta > 0, found " + eta
                    + ": at eta = 0, B = (F'F)^-1 does not exist once the features outnumber the examples, and the"
                    + " theorem it tests is about weight decay");
        }
        if (n < 2 || k < 2 || (long) n * k != features.length) {
            throw new IllegalArgumentException("expected n x K features with n, K >= 2, found " + n + " x " + k
                    + " and " + features.length + " values");
        }
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be >= 1, found " + pairs);
        }
        DMatrixRMaj centered = centered(features, n, k);
        DMatrixRMaj gram = new DMatrixRMaj(k, k);
        CommonOps_MT_DDRM.multTransA(centered, centered, gram);
        List<int[]> chosen = mostSimilar(gram, pairs);
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        CommonOps_MT_DDRM.multTransB(centered, centered, m);
        for (int i = 0; i < n; i++) {
            m.add(i, i, eta);
        }
        CholeskyDecomposition_F64<DMatrixRMaj> cholesky = DecompositionFactory_DDRM.chol(n, true);
        if (!cholesky.decompose(m)) {
            throw new NumericException("the sign test's M = F'F' + eta I (" + n + " x " + n + ", eta " + eta
                    + ") is not positive definite in float64; the features are too large for this eta");
        }
        DMatrixRMaj lower = cholesky.getT(null);
        DMatrixRMaj upper = CommonOps_DDRM.transpose(lower, null);
        Map<Integer, double[]> solved = new LinkedHashMap<>();
        int matches = 0;
        int repulsive = 0;
        double minCosine = Double.POSITIVE_INFINITY;
        double minMargin = Double.POSITIVE_INFINITY;
        for (int[] pair : chosen) {
            int j = pair[0];
            int l = pair[1];
            double[] xj = solved.computeIfAbsent(j, c -> solve(lower, upper, column(centered, c)));
            double[] xl = solved.computeIfAbsent(l, c -> solve(lower, upper, column(centered, c)));
            double q = dot(column(centered, j), xl); // f̃_jᵀ M⁻¹ f̃_l
            double b = -q / (eta * eta);             // B_jl, Woodbury
            double projected = eta * q;              // f̃_jᵀ P_η f̃_l = η f̃_jᵀ M⁻¹ f̃_l
            if (Math.signum(b) == -Math.signum(projected) && q != 0) {
                matches++;
            }
            if (b < 0) {
                repulsive++;
            }
            double norms = Math.sqrt(gram.get(j, j) * gram.get(l, l));
            minCosine = Math.min(minCosine, gram.get(j, l) / norms);
            double qjj = dot(column(centered, j), xj);
            double qll = dot(column(centered, l), xl);
            minMargin = Math.min(minMargin, Math.abs(q) / Math.sqrt(qjj * qll));
        }
        return new Result(n, k, eta, chosen.size(), matches, chosen.isEmpty() ? Double.NaN : minCosine,
                chosen.isEmpty() ? Double.NaN : minMargin, repulsive);
    }

    /** F with its columns centered over the rows, in float64. */
    private static DMatrixRMaj centered(float[] features, int n, int k) {
        double[] mean = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                float v = features[i * k + c];
                if (!Float.isFinite(v)) {
                    throw new NumericException("the sign test's features hold " + v + " at example " + i
                            + ", unit " + c + ": the checkpoint's model is not finite there");
                }
                mean[c] += v;
            }
        }
        for (int c = 0; c < k; c++) {
            mean[c] /= n;
        }
        DMatrixRMaj out = new DMatrixRMaj(n, k);
        double[] data = out.data;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                data[i * k + c] = features[i * k + c] - mean[c];
            }
        }
        return out;
    }

    /**
     * The {@code count} pairs j &lt; l of largest cosine, most similar first; ties in (j, l) order. Units
     * with a zero column take part in none.
     */
    static List<int[]> mostSimilar(DMatrixRMaj gram, int count) {
        int k = gram.numRows;
        double[] norm = new double[k];
        for (int c = 0; c < k; c++) {
            norm[c] = Math.sqrt(gram.get(c, c));
        }
        Comparator<double[]> order = Comparator.<double[]>comparingDouble(e -> e[0])
                .thenComparing(e -> -e[1]).thenComparing(e -> -e[2]); // worst first: smallest cosine, last (j, l)
        PriorityQueue<double[]> best = new PriorityQueue<>(count + 1, order);
        for (int j = 0; j < k; j++) {
            if (norm[j] == 0) {
                continue;
            }
            for (int l = j + 1; l < k; l++) {
                if (norm[l] == 0) {
                    continue;
                }
                double cosine = gram.get(j, l) / (norm[j] * norm[l]);
                if (best.size() < count) {
                    best.add(new double[] {cosine, j, l});
                } else if (cosine > best.peek()[0]) {
                    best.poll();
                    best.add(new double[] {cosine, j, l});
                }
            }
        }
        List<double[]> sorted = new ArrayList<>(best);
        sorted.sort(order.reversed());
        return sorted.stream().map(e -> new int[] {(int) e[1], (int) e[2]}).toList();
    }

    /** x with L Lᵀ x = b; {@code upper} is Lᵀ, so that both passes read rows. */
    private static double[] solve(DMatrixRMaj lower, DMatrixRMaj upper, double[] b) {
        int n = lower.numRows;
        double[] l = lower.data;
        double[] u = upper.data;
        double[] y = b.clone();
        for (int i = 0; i < n; i++) {
            double s = y[i];
            int row = i * n;
            for (int c = 0; c < i; c++) {
                s -= l[row + c] * y[c];
            }
            y[i] = s / l[row + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            int row = i * n;
            for (int r = i + 1; r < n; r++) {
                s -= u[row + r] * y[r];
            }
            y[i] = s / u[row + i];
        }
        return y;
    }

    private static double[] column(DMatrixRMaj m, int c) {
        double[] out = new double[m.numRows];
        for (int r = 0; r < m.numRows; r++) {
            out[r] = m.data[r * m.numCols + c];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
