import dev.sedge.spectral.SketchTransform;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Error of the Johnson–Lindenstrauss sketches against the exact spectrum (not a test): one window of
 * W updates, exact once, then sketched with seeds 1..N by each transform (Gaussian JlSketch, SRHT);
 * prints the distribution over seeds of
 *   sigma: max_j |σ̃_j/σ_j − 1| over the top half of the spectrum (j ≤ W/2),
 *   gap:   |R̃_k/R_k − 1| at the planted edge k (planted data) or at the exact k* (random data),
 *   g23:   |g̃23/g23 − 1|,
 *   kstar: fraction of seeds whose sketched k* equals the exact one,
 * and the time of one update at p = timingP for each transform and for the exact engine, measured in
 * the same run, interleaved round by round so that load from other processes hits all alike; the
 * ratio Gaussian / SRHT is the figure to compare between runs. timingP = 0 skips the timing.
 *
 * Usage: java ... SketchError.java [p] [W] [d] [seeds] [timingP] [transforms, default gaussian,srht]
 */
public final class SketchError {

    public static void main(String[] args) {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 10 * w;
        int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int timingP = args.length > 4 ? Integer.parseInt(args[4]) : 10_000_000;
        List<SketchTransform> transforms = new ArrayList<>();
        for (String t : (args.length > 5 ? args[5] : "gaussian,srht").split(",")) {
            transforms.add(SketchTransform.parse(t));
        }
        double[] s = new double[w];
        s[0] = 20;
        s[1] = 18;
        for (int j = 2; j < w; j++) {
            s[j] = 6 * Math.pow(0.93, j - 2);
        }
        float[][] plantedRows = planted(w, p, s, 3);
        float[][] randomRows = gaussian(w, p, 4);
        for (SketchTransform transform : transforms) {
            report("planted (s = 20, 18, 6·0.93^(j−3); edge at k = 2, R_2 = 3)", plantedRows, w, d, seeds, 2, transform);
            report("random (i.i.d. N(0,1) entries)", randomRows, w, d, seeds, 0, transform);
        }
        if (timingP > 0) {
            timing(w, d, timingP, transforms);
        }
    }

    private static void report(String name, float[][] rows, int w, int d, int seeds, int edge,
                               SketchTransform transform) {
        WindowSpectrum exact = window(SpectralOptions.of(w), rows);
        int k = edge > 0 ? edge : exact.kstar();
        double[] sigmaErr = new double[seeds];
        double[] gapErr = new double[seeds];
        double[] g23Err = new double[seeds];
        int sameKstar = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            WindowSpectrum sk = window(SpectralOptions.of(w).withSketch(d, seed, transform), rows);
            double m = 0;
            for (int j = 1; j <= w / 2; j++) {
                m = Math.max(m, Math.abs(sk.sigma(j) / exact.sigma(j) - 1));
            }
            sigmaErr[seed - 1] = m;
            gapErr[seed - 1] = Math.abs(sk.ratio(k) / exact.ratio(k) - 1);
            g23Err[seed - 1] = Math.abs(sk.g23() / exact.g23() - 1);
            sameKstar += sk.kstar() == exact.kstar() ? 1 : 0;
        }
        System.out.printf("%s, %s: W=%d p=%d d=%d, %d seeds; exact k*=%d, R_%d=%.4f%n", transform.label(), name, w,
                rows[0].length, d, seeds, exact.kstar(), k, exact.ratio(k));
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

    /**
     * Five rounds of: updates per transform (at least 3; the faster ones until they took half the time of
     * the slowest before them, at most 200), then 3 exact updates; medians and minima over all the updates
     * of each kind.
     */
    private static void timing(int w, int d, int p, List<SketchTransform> transforms) {
        float[] x = gaussian(1, p, 9)[0];
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf("# timing at p=%d d=%d W=%d threads=%d, load average before: %s%n", p, d, w, threads,
                loadAverage());
        Map<SketchTransform, SpectralEngine> engines = new EnumMap<>(SketchTransform.class);
        Map<SketchTransform, List<Double>> times = new EnumMap<>(SketchTransform.class);
        long[] step = new long[1];
        for (SketchTransform t : transforms) {
            SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w).withSketch(d, 1, t), p);
            engine.accept(++step[0], x); // warm-up
            engine.accept(++step[0], x);
            engines.put(t, engine);
            times.put(t, new ArrayList<>());
        }
        SpectralEngine exact = new SpectralEngine(SpectralOptions.of(w), p);
        List<Double> exactTimes = new ArrayList<>();
        for (int i = 0; i < w; i++) {
            exact.accept(++step[0], x); // fill the window, and warm up
        }
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            double slowest = 0;
            for (SketchTransform t : transforms) {
                double ms = 0;
                for (int i = 0; i < 3 || (ms < slowest * 0.5 && i < 200); i++) {
                    double one = time(engines.get(t), ++step[0], x);
                    times.get(t).add(one);
                    ms += one;
                }
                slowest = Math.max(slowest, ms);
            }
            for (int i = 0; i < 3; i++) {
                exactTimes.add(time(exact, ++step[0], x));
            }
        }
        Map<SketchTransform, Double> medians = new EnumMap<>(SketchTransform.class);
        Map<SketchTransform, Double> minima = new EnumMap<>(SketchTransform.class);
        for (SketchTransform t : transforms) {
            double[] v = times.get(t).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            medians.put(t, v[v.length / 2]);
            minima.put(t, v[0]);
            System.out.printf("RESULT sketch transform=%s W=%d d=%d p=%d threads=%d updates=%d ms_per_update=%.2f"
                    + " min_ms=%.2f%n", t.label(), w, d, p, threads, v.length, v[v.length / 2], v[0]);
        }
        double[] e = exactTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("RESULT exact W=%d p=%d threads=%d updates=%d ms_per_update=%.2f min_ms=%.2f%n", w, p, threads,
                e.length, e[e.length / 2], e[0]);
        if (medians.containsKey(SketchTransform.GAUSSIAN) && medians.containsKey(SketchTransform.SRHT)) {
            System.out.printf("SUMMARY gaussian / srht time per update: %.1f (medians), %.1f (fastest)%n",
                    medians.get(SketchTransform.GAUSSIAN) / medians.get(SketchTransform.SRHT),
                    minima.get(SketchTransform.GAUSSIAN) / minima.get(SketchTransform.SRHT));
        }
        System.out.printf("# load average after: %s%n", loadAverage());
    }

    private static double time(SpectralEngine engine, long step, float[] x) {
        long t0 = System.nanoTime();
        engine.accept(step, x);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
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
