package dev.sedge.optimizers;

/**
 * Adam with coupled L2 weight decay in double precision, written from the update rule of
 * {@code torch.optim.Adam}: the oracle the DJL implementation is checked against. One flat
 * parameter; {@link #step} modifies {@link #theta} in place.
 */
final class ReferenceAdam {

    final double[] theta;
    final double[] gradientPart;
    final double[] decayPart;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private final double[] decayMean;
    private long t;

    /** @param theta initial values; copied */
    ReferenceAdam(double[] theta, double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        this.theta = theta.clone();
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new double[theta.length];
        this.v = new double[theta.length];
        this.decayMean = new double[theta.length];
        this.gradientPart = new double[theta.length];
        this.decayPart = new double[theta.length];
    }

    /**
     * One step with loss gradient {@code gradient} (not modified). Updates {@link #theta} and adds
     * this step's parts to {@link #gradientPart} and {@link #decayPart}, using the linearity of m:
     * the share of m that came from ωθ is tracked in its own EMA.
     */
    void step(double[] gradient) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < theta.length; i++) {
            double wd = weightDecay * theta[i];
            double g = gradient[i] + wd;
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            decayMean[i] = beta1 * decayMean[i] + (1 - beta1) * wd;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double denominator = Math.sqrt(v[i]) / Math.sqrt(c2) + epsilon;
            double change = -(lr / c1) * m[i] / denominator;
            double fromDecay = -(lr / c1) * decayMean[i] / denominator;
            decayPart[i] += fromDecay;
            gradientPart[i] += change - fromDecay;
            theta[i] += change;
        }
    }
}
