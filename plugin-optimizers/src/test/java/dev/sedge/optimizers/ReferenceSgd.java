package dev.sedge.optimizers;

/**
 * {@code torch.optim.SGD} in double precision, with the weight-decay share of the momentum buffer
 * tracked in its own buffer (the buffer is linear in the direction).
 */
final class ReferenceSgd implements Reference {

    private final double[] theta;
    private final double[] decayPart;
    private final double lr;
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final double[] buffer;
    private final double[] decayBuffer;
    private long t;

    /** @param theta initial values; copied */
    ReferenceSgd(double[] theta, double lr, double momentum, double dampening, double weightDecay,
                 boolean nesterov) {
        this.theta = theta.clone();
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffer = new double[theta.length];
        this.decayBuffer = new double[theta.length];
        this.decayPart = new double[theta.length];
    }

    @Override
    public void step(double[] gradient) {
        t++;
        for (int i = 0; i < theta.length; i++) {
            double wd = weightDecay * theta[i];
            double d = gradient[i] + wd;
            double u = d;
            double uWd = wd;
            if (momentum != 0) {
                if (t == 1) {
                    buffer[i] = d;
                    decayBuffer[i] = wd;
                } else {
                    buffer[i] = momentum * buffer[i] + (1 - dampening) * d;
                    decayBuffer[i] = momentum * decayBuffer[i] + (1 - dampening) * wd;
                }
                u = nesterov ? d + momentum * buffer[i] : buffer[i];
                uWd = nesterov ? wd + momentum * decayBuffer[i] : decayBuffer[i];
            }
            decayPart[i] += -lr * uWd;
            theta[i] += -lr * u;
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
