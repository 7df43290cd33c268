package dev.sedge.core.explain;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The two ridge probes of {@link TargetProbes}, in float64 and closed form: the <em>linear</em> probe, ridge
 * regression of a scalar target on the features (α = {@value TargetProbes#LINEAR_ALPHA}), and the
 * <em>quadratic</em> probe, ridge (α = {@value TargetProbes#QUADRATIC_ALPHA}) on the features and the pairwise
 * products z_i z_j (i ≤ j) of their first k principal-component scores. Features and target are centered
 * by their training means (the intercept is not penalised) and not scaled, as scikit-learn's {@code Ridge}
 * fits them. Stateless; every array argument is row-major (n × width) and not modified.
 */
final class RidgeProbe {

    private RidgeProbe() {
    }

    /**
     * R² on the test rows of the ridge fit on the training rows: 1 − Σ(y − ŷ)² / Σ(y − ȳ_test)².
     *
     * @param width the features per row
     * @return NaN when the test targets have no variance
     */
    static double r2(double[] xTrain, double[] yTrain, double[] xTest, double[] yTest, int width, double alpha) {
        int n = yTrain.length;
        double[] mean = columnMeans(xTrain, n, width);
        double yMean = mean(yTrain);
        DMatrixRMaj gram = new DMatrixRMaj(width, width);
        DMatrixRMaj rhs = new DMatrixRMaj(width, 1);
        double[] g = gram.data;
        double[] row = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                row[j] = xTrain[r * width + j] - mean[j];
            }
            double y = yTrain[r] - yMean;
            for (int i = 0; i < width; i++) {
                double xi = row[i];
                rhs.data[i] += xi * y;
                int from = i * width;
                for (int j = i; j < width; j++) {
                    g[from + j] += xi * row[j];
                }
            }
        }
        for (int i = 0; i < width; i++) {
            g[i * width + i] += alpha;
            for (int j = 0; j < i; j++) {
                g[i * width + j] = g[j * width + i];
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(width);
        if (!solver.setA(gram)) {
            throw new IllegalStateException("ridge system XᵀX + " + alpha + " I is not positive definite");
        }
        DMatrixRMaj beta = new DMatrixRMaj(width, 1);
        solver.solve(rhs, beta);
        double[] predicted = new double[yTest.length];
        for (int r = 0; r < predicted.length; r++) {
            double sum = yMean;
            for (int j = 0; j < width; j++) {
                sum += (xTest[r * width + j] - mean[j]) * beta.data[j];
            }
            predicted[r] = sum;
        }
        return r2(yTest, predicted);
    }

    /**
     * The quadratic probe's features: each row's {@code width} features, then z_i z_j for 0 ≤ i ≤ j < k, z the
     * row's scores on the first k principal components of the training rows (the eigenvectors of their
     * covariance with the k largest eigenvalues, each signed so that its largest entry is positive).
     *
     * @param train the training rows, whose components are used
     * @param rows  the rows to expand (training or test)
     * @return rows × (width + k(k + 1)/2), row-major
     */
    static double[] quadraticFeatures(double[] train, double[] rows, int width, int k) {
        int n = train.length / width;
        double[] mean = columnMeans(train, n, width);
        double[] components = principalComponents(train, n, width, mean, k);
        int m = rows.length / width;
        int out = width + k * (k + 1) / 2;
        double[] features = new double[m * out];
        double[] z = new double[k];
        for (int r = 0; r < m; r++) {
            System.arraycopy(rows, r * width, features, r * out, width);
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int j = 0; j < width; j++) {
                    sum += (rows[r * width + j] - mean[j]) * components[c * width + j];
                }
                z[c] = sum;
            }
            int at = r * out + width;
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    features[at++] = z[i] * z[j];
                }
            }
        }
        return features;
    }

    /** The first k principal directions of the rows, k × width row-major, by decreasing variance. */
    private static double[] principalComponents(double[] x, int n, int width, double[] mean, int k) {
        DMatrixRMaj covariance = new DMatrixRMaj(width, width);
        double[] c = covariance.data;
        double[] row = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                row[j] = x[r * width + j] - mean[j];
            }
            for (int i = 0; i < width; i++) {
                for (int j = i; j < width; j++) {
                    c[i * width + j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < i; j++) {
                c[i * width + j] = c[j * width + i];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(width, true, true);
        if (!eig.decompose(covariance)) {
            throw new IllegalStateException("the eigendecomposition of the " + width + " × " + width
                    + " feature covariance did not converge");
        }
        Integer[] order = new Integer[width];
        for (int i = 0; i < width; i++) {
            order[i] = i;
        }
        // The eigenvalue order is not assumed: largest first, ties by index.
        Arrays.sort(order, (a, b) -> {
            int byValue = Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real);
            return byValue != 0 ? byValue : Integer.compare(a, b);
        });
        double[] out = new double[k * width];
        for (int i = 0; i < k; i++) {
            DMatrixRMaj v = eig.getEigenVector(order[i]);
            int largest = 0;
            for (int j = 1; j < width; j++) {
                if (Math.abs(v.data[j]) > Math.abs(v.data[largest])) {
                    largest = j;
                }
            }
            double sign = v.data[largest] < 0 ? -1 : 1;
            for (int j = 0; j < width; j++) {
                out[i * width + j] = sign * v.data[j];
            }
        }
        return out;
    }

    /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)², ȳ the mean of {@code y}; NaN when y has no variance. */
    static double r2(double[] y, double[] predicted) {
        double mean = mean(y);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            residual += (y[i] - predicted[i]) * (y[i] - predicted[i]);
            total += (y[i] - mean) * (y[i] - mean);
        }
        return total > 0 ? 1 - residual / total : Double.NaN;
    }

    static double[] columnMeans(double[] x, int n, int width) {
        double[] mean = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                mean[j] += x[r * width + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
