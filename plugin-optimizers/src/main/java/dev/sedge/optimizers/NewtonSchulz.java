package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;

/**
 * The quintic Newton–Schulz iteration of Muon, which maps a matrix G = U S Vᵀ to approximately
 * U S' Vᵀ with every singular value S'_ii in about [0.7, 1.2] (the iteration trades exact
 * convergence to U Vᵀ for speed). Exactly {@code zeropower_via_newtonschulz5} of the reference
 * implementation (github.com/KellerJordan/Muon), in the input's data type instead of bfloat16:
 * <pre>
 *   X = G (transposed if rows &gt; cols, so X Xᵀ is the smaller Gram matrix)
 *   X ← X / (‖X‖_F + 1e-7)
 *   repeat: A = X Xᵀ;  B = b A + c A A;  X ← a X + B X       (a, b, c) = (3.4445, −4.7750, 2.0315)
 *   transpose back
 * </pre>
 */
final class NewtonSchulz {

    static final float A = 3.4445f;
    static final float B = -4.7750f;
    static final float C = 2.0315f;
    static final float EPSILON = 1e-7f;

    private NewtonSchulz() {
    }

    /**
     * @param g     not modified; rows × cols
     * @param steps iterations, &ge; 1
     * @return a new rows × cols array, and every intermediate, in the manager of {@code g}
     */
    static NDArray orthogonalise(NDArray g, int steps) {
        boolean tall = g.getShape().get(0) > g.getShape().get(1);
        NDArray x = tall ? g.transpose() : g;
        x = x.div(x.square().sum().sqrt().add(EPSILON));
        for (int i = 0; i < steps; i++) {
            NDArray gram = x.matMul(x.transpose());
            NDArray polynomial = gram.mul(B).add(gram.matMul(gram).mul(C));
            x = x.mul(A).add(polynomial.matMul(x));
        }
        return tall ? x.transpose() : x;
    }
}
