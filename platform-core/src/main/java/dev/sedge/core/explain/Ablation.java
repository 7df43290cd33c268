package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ablation test (docs/science.md, "Probe points and functional modes"): remove a subspace S of the
 * parameter group, θ' = θ − Σ_{v∈S} ⟨θ, v⟩ v, and measure the test accuracy, against the edge
 * {v_1, v_2}, the bulk {v_3, v_4} and random orthonormal 2-D subspaces (Gram–Schmidt of a Gaussian
 * p × 2). An edge the model relies on costs accuracy where a random plane does not.
 *
 * @param accuracy the test accuracy at θ, in [0, 1] (mean over heads)
 * @param edge     the accuracy change removing {v_1, v_2}
 * @param bulk     the accuracy change removing {v_3, v_4}; NaN when the window has fewer than 4 directions
 * @param random   the accuracy change removing each random plane, in seed order
 */
public record Ablation(double accuracy, double edge, double bulk, double[] random) {

    public Ablation {
        random = random.clone();
    }

    @Override
    public double[] random() {
        return random.clone();
    }

    /**
     * Ablates the window's edge, bulk and {@code planes} random planes on the test split.
     *
     * @param seed the random planes' seed: plane i is drawn from {@code seed + i}
     */
    static Ablation of(TestSplit split, EdgeWindow window, int planes, long seed) {
        double[] theta = GroupValues.of(split.checkpoint(), window.tensors());
        double base = split.accuracy(split.base());
        double edge = window.count() >= 2
                ? split.accuracy(split.logits(removed(split, window, theta, unit(window, 1), unit(window, 2)))) - base
                : Double.NaN;
        double bulk = window.count() >= 4
                ? split.accuracy(split.logits(removed(split, window, theta, unit(window, 3), unit(window, 4)))) - base
                : Double.NaN;
        double[] random = new double[planes];
        for (int i = 0; i < planes; i++) {
            double[][] plane = randomPlane(theta.length, seed + i);
            random[i] = split.accuracy(split.logits(removed(split, window, theta, plane[0], plane[1]))) - base;
        }
        return new Ablation(base, edge, bulk, random);
    }

    private static double[] unit(EdgeWindow window, int k) {
        float[] v = window.direction(k);
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i];
        }
        normalise(u);
        return u;
    }

    /** θ with the plane of the orthonormal {@code a}, {@code b} removed. */
    private static List<Tensor> removed(TestSplit split, EdgeWindow window, double[] theta, double[] a,
                                        double[] b) {
        double[] out = theta.clone();
        for (double[] v : new double[][] {a, b}) {
            double dot = 0;
            for (int i = 0; i < out.length; i++) {
                dot += theta[i] * v[i];
            }
            for (int i = 0; i < out.length; i++) {
                out[i] -= dot * v[i];
            }
        }
        return GroupValues.with(split.checkpoint(), window.tensors(), out);
    }

    /** Two orthonormal vectors of length p: Gram–Schmidt of two Gaussian vectors. */
    static double[][] randomPlane(int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[p];
        double[] b = new double[p];
        for (int i = 0; i < p; i++) {
            a[i] = random.nextGaussian();
            b[i] = random.nextGaussian();
        }
        normalise(a);
        double dot = 0;
        for (int i = 0; i < p; i++) {
            dot += a[i] * b[i];
        }
        for (int i = 0; i < p; i++) {
            b[i] -= dot * a[i];
        }
        normalise(b);
        return new double[][] {a, b};
    }

    private static void normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }
}
