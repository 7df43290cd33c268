package dev.sedge.spectral;

import java.util.SplittableRandom;

/**
 * Synthetic windows with a known answer: X = U diag(s) Vᵀ, U (W × k) and V (p × k) with orthonormal
 * columns, so the singular values of X are exactly s and its right singular vectors are V's columns
 * (up to the float rounding of X's entries).
 */
final class PlantedSpectrum {

    final double[] s;
    final double[][] u;
    final double[][] v;
    final float[][] rows;

    /**
     * @param w    rows (updates)
     * @param p    columns (parameters)
     * @param s    planted singular values, non-increasing, length k ≤ W
     * @param seed for U and V
     */
    PlantedSpectrum(int w, int p, double[] s, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = s.length;
        this.s = s.clone();
        this.u = orthonormal(k, w, random);
        this.v = orthonormal(k, p, random);
        this.rows = new float[w][p];
        for (int i = 0; i < w; i++) {
            for (int c = 0; c < p; c++) {
                double x = 0;
                for (int j = 0; j < k; j++) {
                    x += u[j][i] * s[j] * v[j][c];
                }
                rows[i][c] = (float) x;
            }
        }
    }

    /** {@code count} orthonormal vectors of length n (Gram–Schmidt twice of Gaussian vectors), as rows. */
    static double[][] orthonormal(int count, int n, SplittableRandom random) {
        double[][] q = new double[count][n];
        for (int j = 0; j < count; j++) {
            for (int c = 0; c < n; c++) {
                q[j][c] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int c = 0; c < n; c++) {
                        dot += q[i][c] * q[j][c];
                    }
                    for (int c = 0; c < n; c++) {
                        q[j][c] -= dot * q[i][c];
                    }
                }
                double norm = 0;
                for (int c = 0; c < n; c++) {
                    norm += q[j][c] * q[j][c];
                }
                norm = Math.sqrt(norm);
                for (int c = 0; c < n; c++) {
                    q[j][c] /= norm;
                }
            }
        }
        return q;
    }

    /** G = X Xᵀ in double from float rows, optionally of the mean-centered rows: the reference. */
    static double[][] directGram(float[][] rows, boolean centered) {
        int w = rows.length;
        int p = rows[0].length;
        double[][] x = new double[w][p];
        for (int i = 0; i < w; i++) {
            for (int c = 0; c < p; c++) {
                x[i][c] = rows[i][c];
            }
        }
        if (centered) {
            for (int c = 0; c < p; c++) {
                double mean = 0;
                for (int i = 0; i < w; i++) {
                    mean += x[i][c];
                }
                mean /= w;
                for (int i = 0; i < w; i++) {
                    x[i][c] -= mean;
                }
            }
        }
        double[][] g = new double[w][w];
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                double sum = 0;
                for (int c = 0; c < p; c++) {
                    sum += x[i][c] * x[j][c];
                }
                g[i][j] = sum;
            }
        }
        return g;
    }

    /** n Gaussian float vectors of length p. */
    static float[][] gaussianRows(int n, int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] r = new float[n][p];
        for (float[] row : r) {
            for (int c = 0; c < p; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return r;
    }

    /** The largest |a_ij − b_ij| over the largest |b_ij|. */
    static double relativeMaxError(double[][] a, double[][] b) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                err = Math.max(err, Math.abs(a[i][j] - b[i][j]));
                scale = Math.max(scale, Math.abs(b[i][j]));
            }
        }
        return err / scale;
    }
}
