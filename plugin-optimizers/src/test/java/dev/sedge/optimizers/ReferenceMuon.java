package dev.sedge.optimizers;

/**
 * The Muon update of the reference implementation (github.com/KellerJordan/Muon:
 * {@code muon_update}, {@code zeropower_via_newtonschulz5}, {@code Muon.step}) in double
 * precision, for one rows × cols parameter.
 */
final class ReferenceMuon implements Reference {

    private static final double A = 3.4445;
    private static final double B = -4.7750;
    private static final double C = 2.0315;

    private final double[] theta;
    private final double[] decayPart;
    private final int rows;
    private final int cols;
    private final double lr;
    private final double beta;
    private final boolean nesterov;
    private final int nsSteps;
    private final double weightDecay;
    private final double[] buffer;

    /** @param theta initial values, rows × cols row-major; copied */
    ReferenceMuon(double[] theta, int rows, int cols, double lr, double beta, boolean nesterov, int nsSteps,
                  double weightDecay) {
        this.theta = theta.clone();
        this.rows = rows;
        this.cols = cols;
        this.lr = lr;
        this.beta = beta;
        this.nesterov = nesterov;
        this.nsSteps = nsSteps;
        this.weightDecay = weightDecay;
        this.buffer = new double[theta.length];
        this.decayPart = new double[theta.length];
    }

    @Override
    public void step(double[] gradient) {
        double[][] u = new double[rows][cols];
        for (int i = 0; i < theta.length; i++) {
            buffer[i] = beta * buffer[i] + (1 - beta) * gradient[i];
            u[i / cols][i % cols] = nesterov ? (1 - beta) * gradient[i] + beta * buffer[i] : buffer[i];
        }
        double[][] o = orthogonalise(u, nsSteps);
        double scale = Math.sqrt(Math.max(1.0, (double) rows / cols));
        for (int i = 0; i < theta.length; i++) {
            double wd = -lr * weightDecay * theta[i];
            decayPart[i] += wd;
            theta[i] += wd - lr * scale * o[i / cols][i % cols];
        }
    }

    static double[][] orthogonalise(double[][] g, int steps) {
        boolean tall = g.length > g[0].length;
        double[][] x = tall ? transpose(g) : g;
        double norm = 0;
        for (double[] row : x) {
            for (double v : row) {
                norm += v * v;
            }
        }
        norm = Math.sqrt(norm) + 1e-7;
        x = scaled(x, 1 / norm);
        for (int s = 0; s < steps; s++) {
            double[][] gram = multiply(x, transpose(x));
            double[][] poly = add(scaled(gram, B), scaled(multiply(gram, gram), C));
            x = add(scaled(x, A), multiply(poly, x));
        }
        return tall ? transpose(x) : x;
    }

    private static double[][] multiply(double[][] p, double[][] q) {
        double[][] r = new double[p.length][q[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < q.length; k++) {
                for (int j = 0; j < q[0].length; j++) {
                    r[i][j] += p[i][k] * q[k][j];
                }
            }
        }
        return r;
    }

    private static double[][] transpose(double[][] p) {
        double[][] r = new double[p[0].length][p.length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                r[j][i] = p[i][j];
            }
        }
        return r;
    }

    private static double[][] scaled(double[][] p, double s) {
        double[][] r = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                r[i][j] = p[i][j] * s;
            }
        }
        return r;
    }

    private static double[][] add(double[][] p, double[][] q) {
        double[][] r = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                r[i][j] = p[i][j] + q[i][j];
            }
        }
        return r;
    }

    @Override
    public double[] theta() {
        return theta;
    }

    @Override
    public double[] decayPart() {
        return decayPart;
    }
}
