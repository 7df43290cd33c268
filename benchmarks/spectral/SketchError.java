import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Error of the Johnson–Lindenstrauss sketch against the exact spectrum (not a test): one window of
 * W updates, exact once, then sketched with seeds 1..N; prints the distribution over seeds of
 *   sigma: max_j |σ̃_j/σ_j − 1| over the top half of the spectrum (j ≤ W/2),
 *   gap:   |R̃_k/R_k − 1| at the planted edge k (planted data) or at the exact k* (random data),
 *   g23:   |g̃23/g23 − 1|,
 *   kstar: fraction of seeds whose sketched k* equals the exact one,
 * and the time of one sketched update at p = timingP.
 *
 * Usage: java ... SketchError.java [p] [W] [d] [seeds] [timingP]
 */
public final class SketchError {

    public static void main(String[] args) {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 10 * w;
        int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int timingP = args.length > 4 ? Integer.parseInt(args[4]) : 10_000_000;
        double[] s = new double[w];
        s[0] = 20;
        s[1] = 18;
        for (int j = 2; j < w; j++) {
            s[j] = 6 * Math.pow(0.93, j - 2);
        }
        report("planted (s = 20, 18, 6·0.93^(j−3); edge at k = 2, R_2 = 3)", planted(w, p, s, 3), w, d, seeds, 2);
        report("random (i.i.d. N(0,1) entries)", gaussian(w, p, 4), w, d, seeds, 0);
        timing(w, d, timingP);
    }

    private static void report(String name, float[][] rows, int w, int d, int seeds, int edge) {
        WindowSpectrum exact = window(SpectralOptions.of(w), rows);
        int k = edge > 0 ? edge : exact.kstar();
        double[] sigmaErr = new double[seeds];
        double[] gapErr = new double[seeds];
        double[] g23Err = new double[seeds];
        int sameKstar = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            WindowSpectrum sk = window(SpectralOptions.of(w).withSketch(d, seed), rows);
            double m = 0;
            for (int j = 1; j <= w / 2; j++) {
                m = Math.max(m, Math.abs(sk.sigma(j) / exact.sigma(j) - 1));
            }
            sigmaErr[seed - 1] = m;
            gapErr[seed - 1] = Math.abs(sk.ratio(k) / exact.ratio(k) - 1);
            g23Err[seed - 1] = Math.abs(sk.g23() / exact.g23() - 1);
            sameKstar += sk.kstar() == exact.kstar() ? 1 : 0;
        }
        System.out.printf("%s: W=%d p=%d d=%d, %d seeds; exact k*=%d, R_%d=%.4f%n", name, w, rows[0].length, d, seeds,
                exact.kstar(), k, exact.ratio(k));
        line("  max_{j<=W/2} |sigma~/sigma-1|", sigmaErr);
        line("  |R~_k/R_k-1|                 ", gapErr);
        line("  |g23~/g23-1|                 ", g23Err);
        System.out.printf("  k* agrees in %d of %d seeds%n", sameKstar, seeds);
    }

    private static void line(String label, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        System.out.printf("%s median %.4f  p90 %.4f  max %.4f%n", label, v[v.length / 2],
                v[(int) Math.floor(0.9 * (v.length - 1))], v[v.length - 1]);
    }

    private static WindowSpectrum window(SpectralOptions options, float[][] rows) {
        SpectralEngine engine = new SpectralEngine(options, rows[0].length);
        WindowSpectrum last = null;
        for (int i = 0; i < rows.length; i++) {
            last = engine.accept(i + 1, rows[i]).orElse(last);
        }
        return last;
    }

    private static void timing(int w, int d, int p) {
        float[] x = gaussian(1, p, 9)[0];
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w).withSketch(d, 1), p);
        engine.accept(1, x); // warm-up
        long t0 = System.nanoTime();
        int n = 3;
        for (int i = 0; i < n; i++) {
            engine.accept(i + 2, x);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        System.out.printf("RESULT sketch W=%d d=%d p=%d threads=%d ms_per_update=%.1f ns_per_entry=%.3f%n", w, d, p,
                Runtime.getRuntime().availableProcessors(), ms, ms * 1e6 / ((double) d * p));
    }

    private static float[][] planted(int w, int p, double[] s, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] u = orthonormal(w, w, random);
        double[][] v = orthonormal(w, p, random);
        float[][] rows = new float[w][p];
        for (int i = 0; i < w; i++) {
            for (int c = 0; c < p; c++) {
                double x = 0;
                for (int j = 0; j < w; j++) {
                    x += u[j][i] * s[j] * v[j][c];
                }
                rows[i][c] = (float) x;
            }
        }
        return rows;
    }

    private static double[][] orthonormal(int count, int n, SplittableRandom random) {
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
                for (int c = 0; c < n; c++) {
                    q[j][c] /= Math.sqrt(norm);
                }
            }
        }
        return q;
    }

    private static float[][] gaussian(int n, int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] r = new float[n][p];
        for (float[] row : r) {
            for (int c = 0; c < p; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return r;
    }
}
