package dev.sedge.core.explain;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The MLP probe of {@link TargetProbes}: ŷ = w₂ · relu(W₁x + b₁) + b₂ with {@value #HIDDEN} hidden units,
 * in float64, trained deterministically. Inputs are standardised by the training rows' mean and standard
 * deviation per feature (a constant feature is only centered), the target by its training mean and
 * deviation (predictions are mapped back before R²). W₁ ~ N(0, 2/width) (He), w₂ ~ N(0, 1/{@value #HIDDEN}),
 * biases 0; {@value #STEPS} Adam steps (learning rate {@value #LEARNING_RATE}, β = (0.9, 0.999), ε = 10⁻⁸,
 * no weight decay) on ½ × the mean squared error of mini-batches of {@value #BATCH} rows, the rows visited in
 * a fresh shuffle each pass; one {@link SplittableRandom} of the given seed draws the weights, then the
 * shuffles. Single-threaded: the same arguments give the same R², bit for bit. Stateless.
 */
final class MlpProbe {

    /** Hidden units. */
    static final int HIDDEN = 64;

    /** Adam steps. */
    static final int STEPS = 1500;

    /** Rows per step (all of them when there are fewer). */
    static final int BATCH = 256;

    /** Adam's learning rate. */
    static final double LEARNING_RATE = 3e-3;

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private MlpProbe() {
    }

    /**
     * R² on the test rows of the MLP trained on the training rows.
     *
     * @param xTrain n × width, row-major; not modified
     * @param xTest  m × width, row-major; not modified
     * @param seed   the weights' and the shuffles' seed
     * @return NaN when the test targets have no variance
     */
    static double r2(double[] xTrain, double[] yTrain, double[] xTest, double[] yTest, int width, long seed) {
        int n = yTrain.length;
        double[] mean = RidgeProbe.columnMeans(xTrain, n, width);
        double[] scale = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                double c = xTrain[r * width + j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < width; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 1e-12 ? 1 / sd : 1;
        }
        double yMean = RidgeProbe.mean(yTrain);
        double ySd = 0;
        for (double y : yTrain) {
            ySd += (y - yMean) * (y - yMean);
        }
        ySd = Math.sqrt(ySd / n);
        double yScale = ySd > 1e-12 ? ySd : 1;
        double[] x = standardised(xTrain, mean, scale, width);
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            y[r] = (yTrain[r] - yMean) / yScale;
        }
        Network net = Network.trained(x, y, width, new SplittableRandom(seed));
        double[] xt = standardised(xTest, mean, scale, width);
        double[] predicted = new double[yTest.length];
        double[] hidden = new double[HIDDEN];
        for (int r = 0; r < predicted.length; r++) {
            predicted[r] = yMean + yScale * net.forward(xt, r, hidden);
        }
        return RidgeProbe.r2(yTest, predicted);
    }

    private static double[] standardised(double[] x, double[] mean, double[] scale, int width) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % width;
            out[i] = (x[i] - mean[j]) * scale[j];
        }
        return out;
    }

    /** The parameters, flat: W₁ (HIDDEN × width, row-major), b₁ (HIDDEN), w₂ (HIDDEN), b₂ (1). */
    private static final class Network {
        private final int width;
        private final double[] theta;
        private final int b1;
        private final int w2;
        private final int b2;

        private Network(int width) {
            this.width = width;
            this.b1 = HIDDEN * width;
            this.w2 = b1 + HIDDEN;
            this.b2 = w2 + HIDDEN;
            this.theta = new double[b2 + 1];
        }

        static Network trained(double[] x, double[] y, int width, SplittableRandom random) {
            Network net = new Network(width);
            double first = Math.sqrt(2.0 / width);
            for (int i = 0; i < net.b1; i++) {
                net.theta[i] = first * random.nextGaussian();
            }
            double second = Math.sqrt(1.0 / HIDDEN);
            for (int i = 0; i < HIDDEN; i++) {
                net.theta[net.w2 + i] = second * random.nextGaussian();
            }
            net.train(x, y, random);
            return net;
        }

        private void train(double[] x, double[] y, SplittableRandom random) {
            int n = y.length;
            int batch = Math.min(BATCH, n);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            double[] gradient = new double[theta.length];
            double[] m = new double[theta.length];
            double[] v = new double[theta.length];
            double[] hidden = new double[HIDDEN];
            int at = n;
            for (int step = 1; step <= STEPS; step++) {
                Arrays.fill(gradient, 0);
                for (int b = 0; b < batch; b++) {
                    if (at == n) {
                        TargetProbes.shuffle(order, random);
                        at = 0;
                    }
                    accumulate(x, order[at], y[order[at]], hidden, gradient);
                    at++;
                }
                double c1 = 1 - Math.pow(BETA1, step);
                double c2 = 1 - Math.pow(BETA2, step);
                for (int i = 0; i < theta.length; i++) {
                    double g = gradient[i] / batch;
                    m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                    v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                    theta[i] -= LEARNING_RATE * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
                }
            }
        }

        /** Adds the gradient of ½(ŷ − y)² at row {@code r} to {@code gradient}. */
        private void accumulate(double[] x, int r, double y, double[] hidden, double[] gradient) {
            double error = forward(x, r, hidden) - y;
            int from = r * width;
            for (int h = 0; h < HIDDEN; h++) {
                if (hidden[h] <= 0) {
                    continue;
                }
                gradient[w2 + h] += error * hidden[h];
                double back = error * theta[w2 + h];
                gradient[b1 + h] += back;
                int row = h * width;
                for (int j = 0; j < width; j++) {
                    gradient[row + j] += back * x[from + j];
                }
            }
            gradient[b2] += error;
        }

        /** ŷ at row {@code r} of {@code x}; leaves relu(W₁x + b₁) in {@code hidden}. */
        double forward(double[] x, int r, double[] hidden) {
            int from = r * width;
            double out = theta[b2];
            for (int h = 0; h < HIDDEN; h++) {
                double sum = theta[b1 + h];
                int row = h * width;
                for (int j = 0; j < width; j++) {
                    sum += theta[row + j] * x[from + j];
                }
                hidden[h] = Math.max(0, sum);
                out += theta[w2 + h] * hidden[h];
            }
            return out;
        }
    }
}
