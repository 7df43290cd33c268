package dev.sedge.core.explain;

import dev.sedge.api.model.Activations;

/**
 * The perturbation curve of one edge direction (docs/science.md, "Probe points and functional modes"): the
 * group moved by ε along the unit v_k for ε ∈ linspace(−0.03, 0.03, 25), and at each the test accuracy
 * and KL(p_θ ‖ p_θ+εv) of the output distributions (the per-head softmax of the logits, averaged over
 * the test inputs). A direction the model computes with moves both; a flat curve is a direction the
 * outputs do not see.
 *
 * @param epsilon  the steps, absolute, along the unit direction
 * @param accuracy the test accuracy at each step
 * @param kl       KL(p_θ ‖ p_θ+εv) at each step, nats
 */
public record PerturbationCurve(double[] epsilon, double[] accuracy, double[] kl) {

    /** The curve's steps: linspace(−{@value #RANGE}, {@value #RANGE}, {@value #STEPS}). */
    public static final double RANGE = 0.03;

    /** How many steps. */
    public static final int STEPS = 25;

    public PerturbationCurve {
        epsilon = epsilon.clone();
        accuracy = accuracy.clone();
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

    /** The lowest accuracy along the curve. */
    public double minAccuracy() {
        double min = Double.POSITIVE_INFINITY;
        for (double v : accuracy) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** The curve of direction {@code k} of {@code window}. */
    static PerturbationCurve of(TestSplit split, EdgeWindow window, int k) {
        Activations base = split.base();
        double[] epsilon = new double[STEPS];
        double[] accuracy = new double[STEPS];
        double[] kl = new double[STEPS];
        for (int i = 0; i < STEPS; i++) {
            epsilon[i] = -RANGE + 2 * RANGE * i / (STEPS - 1);
            Activations moved = split.logits(FunctionalModes.moved(split.checkpoint(), window, k, epsilon[i]));
            accuracy[i] = split.accuracy(moved);
            kl[i] = split.kl(base, moved);
        }
        return new PerturbationCurve(epsilon, accuracy, kl);
    }
}
