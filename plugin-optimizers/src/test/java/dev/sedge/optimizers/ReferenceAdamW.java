package dev.sedge.optimizers;

/** {@code torch.optim.AdamW} in double precision: θ ← θ − lr·ω·θ, then the Adam step on ∇. */
final class ReferenceAdamW implements Reference {

    private final double[] theta;
    private final double[] decayPart;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private long t;

    /** @param theta initial values; copied */
    ReferenceAdamW(double[] theta, double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        this.theta = theta.clone();
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new double[theta.length];
        this.v = new double[theta.length];
        this.decayPart = new double[theta.length];
    }

    @Override
    public void step(double[] gradient) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < theta.length; i++) {
            double wd = -lr * weightDecay * theta[i];
            decayPart[i] += wd;
            theta[i] += wd;
            double g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -= (lr / c1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + epsilon);
        }
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
