package dev.sedge.core.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The ablation test (docs/science.md, "Probe points and functional modes"): remove a subspace S of the
 * parameter group, θ' = θ − Σ_{v∈S} ⟨θ, v⟩ v, and measure the test accuracy and loss, against the edge
 * {v_1, v_2}, the bulk {v_3, v_4} and random orthonormal 2-D subspaces (Gram–Schmidt of a Gaussian
 * p × 2). An edge the model relies on costs accuracy where a random plane does not.
 *
 * @param accuracy the test accuracy at θ, in [0, 1] (mean over heads)
 * @param loss     the test loss at θ (cross-entropy, mean over heads; see {@link TestSplit})
 * @param edge     the change removing {v_1, v_2}; empty when the window has fewer than 2 directions
 * @param bulk     the change removing {v_3, v_4}; empty when the window has fewer than 4 directions
 * @param random   the change removing each random plane, in seed order
 */
public record Ablation(double accuracy, double loss, Optional<Change> edge, Optional<Change> bulk,
                       List<Change> random) {

    /**
     * What removing one subspace did.
     *
     * @param accuracy the test accuracy after minus before
     * @param loss     the test loss after minus before
     */
    public record Change(double accuracy, double loss) {
    }

    public Ablation {
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(bulk, "bulk");
        random = List.copyOf(random);
    }

    /** The random planes' accuracy changes, in seed order. */
    public double[] randomAccuracy() {
        return random.stream().mapToDouble(Change::accuracy).toArray();
    }

    /**
     * Ablates the window's edge, bulk and {@code planes} random planes on the test split.
     *
     * @param seed the random planes' seed: plane i is drawn from {@code seed + i}
     */
    static Ablation of(TestSplit split, GroupValues values, EdgeWindow window, int planes, long seed) {
        double[] theta = values.values();
        double accuracy = split.baseAccuracy();
        double loss = split.baseLoss();
        Optional<Change> edge = window.count() >= 2
                ? Optional.of(change(split, values, theta, unit(window, 1), unit(window, 2), accuracy, loss))
                : Optional.empty();
        Optional<Change> bulk = window.count() >= 4
                ? Optional.of(change(split, values, theta, unit(window, 3), unit(window, 4), accuracy, loss))
                : Optional.empty();
        List<Change> random = new ArrayList<>();
        for (int i = 0; i < planes; i++) {
            double[][] plane = randomPlane(theta.length, seed + i);
            random.add(change(split, values, theta, plane[0], plane[1], accuracy, loss));
        }
        return new Ablation(accuracy, loss, edge, bulk, random);
    }

    private static Change change(TestSplit split, GroupValues values, double[] theta, double[] a, double[] b,
                                 double accuracy, double loss) {
        TestSplit.Reading ablated = split.read(split.logits(values.with(removed(theta, a, b))));
        return new Change(ablated.accuracy() - accuracy, ablated.loss() - loss);
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

    /** θ_group with the plane of the orthonormal {@code a}, {@code b} removed. */
    private static double[] removed(double[] theta, double[] a, double[] b) {
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
        return out;
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
