package dev.sedge.core.explain;


/**
 * The perturbation curve of one edge direction (docs/science.md, "Probe points and functional modes"): the
 * group moved by ε along the unit v_k for ε ∈ linspace(−0.03, 0.03, 25), and at each the test accuracy,
 * the test loss and KL(p_θ ‖ p_θ+εv) of the output distributions (the per-head softmax of the logits,
 * averaged over the test inputs); and the curvature of the test loss along v_k at θ. A direction the
 * model computes with moves them; a flat curve is a direction the outputs do not see.
 *
 * @param epsilon   the steps, absolute, along the unit direction
 * @param accuracy  the test accuracy at each step
 * @param loss      the test loss at each step (cross-entropy; see {@link TestSplit})
 * @param kl        KL(p_θ ‖ p_θ+εv) at each step, nats
 * @param curvature [L(θ + δv) + L(θ − δv) − 2L(θ)] / δ², δ = {@value #CURVATURE_FACTOR} · ‖θ_group‖
 */
public record PerturbationCurve(double[] epsilon, double[] accuracy, double[] loss, double[] kl, double curvature) {

    /** The curve's steps: linspace(−{@value #RANGE}, {@value #RANGE}, {@value #STEPS}). */
    public static final double RANGE = 0.03;

    /** How many steps. */
    public static final int STEPS = 25;

    /** δ = {@value} · ‖θ_group‖, the curvature's step (the Lifecycle paper's). */
    public static final double CURVATURE_FACTOR = 0.001;

    public PerturbationCurve {
        epsilon = epsilon.clone();
        accuracy = accuracy.clone();
        loss = loss.clone();
        kl = kl.clone();
    }

    @Override
    public double[] epsilon() {
        return epsilon.clone();
    }

    @Override
    public double[] accuracy() {
        return accuracy.clone();
    }

    @Override
    public double[] loss() {
        return loss.clone();
    }

    @Override
    public double[] kl() {
        return kl.clone();
    }

    /** The largest KL along the curve. */
    public double maxKl() {
        double max = 0;
        for (double v : kl) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The largest loss along the curve. */
    public double maxLoss() {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : loss) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The lowest accuracy along the curve. */
    public double minAccuracy() {
        double min = Double.POSITIVE_INFINITY;
        for (double v : accuracy) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** The curve of direction {@code k} of {@code window}, from the checkpoint's values {@code theta}. */
    static PerturbationCurve of(TestSplit split, GroupValues theta, EdgeWindow window, int k) {
        float[] v = window.direction(k);
        double[] epsilon = new double[STEPS];
        double[] accuracy = new double[STEPS];
        double[] loss = new double[STEPS];
        double[] kl = new double[STEPS];
        for (int i = 0; i < STEPS; i++) {
            epsilon[i] = -RANGE + 2 * RANGE * i / (STEPS - 1);
            TestSplit.Reading moved = split.read(split.logits(theta.moved(v, epsilon[i])));
            accuracy[i] = moved.accuracy();
            loss[i] = moved.loss();
            kl[i] = moved.kl();
        }
        double delta = CURVATURE_FACTOR * theta.norm();
        double plus = split.read(split.logits(theta.moved(v, delta))).loss();
        double minus = split.read(split.logits(theta.moved(v, -delta))).loss();
        double curvature = (plus + minus - 2 * split.baseLoss()) / (delta * delta);
        return new PerturbationCurve(epsilon, accuracy, loss, kl, curvature);
    }
}
