import dev.sedge.core.spectral.SpectralEngine;
import dev.sedge.core.spectral.SpectralOptions;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Throughput of the spectral engine's Gram update (not a test): per-update time of
 * SpectralEngine.accept at p floats for several W, stride 1, so every update also decomposes the
 * W × W Gram and computes every reported quantity. Prints one "RESULT" line per configuration:
 *
 *   RESULT java W=<W> threads=<t> p=<p> ms=<median ms per update> window_gbps=<W·p·4 bytes / time>
 *
 * window_gbps counts the bytes of the window X (W × p floats), the same bytes numpy's X @ X.T
 * reads; the pass actually reads W + 1 stored rows plus the update and writes one row.
 *
 * Usage: java ... GramBenchmark.java [p] [W,W,...] [threads,threads,...] [timed updates]
 */
public final class GramBenchmark {

    public static void main(String[] args) {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int[] widths = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 20, 40};
        int[] threadCounts = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {Runtime.getRuntime().availableProcessors()};
        int timed = args.length > 3 ? Integer.parseInt(args[3]) : 21;

        float[][] pool = new float[4][p]; // distinct updates, cycled
        SplittableRandom random = new SplittableRandom(42);
        for (float[] v : pool) {
            for (int i = 0; i < p; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        System.out.printf("# JDK %s, %d processors, p = %,d floats%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), p);
        for (int threads : threadCounts) {
            for (int w : widths) {
                run(p, w, threads, timed, pool);
            }
        }
    }

    private static void run(int p, int w, int threads, int timed, float[][] pool) {
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(w).withThreads(threads), p);
        long step = 0;
        for (int i = 0; i < w + 10; i++) { // fill the window, then warm the JIT on full windows
            engine.accept(++step, pool[i % pool.length]);
        }
        double[] ms = new double[timed];
        double sink = 0;
        for (int i = 0; i < timed; i++) {
            long t0 = System.nanoTime();
            sink += engine.accept(++step, pool[i % pool.length]).orElseThrow().sigma(1);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[timed / 2];
        double gbps = (double) w * p * 4 / 1e9 / (median / 1e3);
        System.out.printf("RESULT java W=%d threads=%d p=%d ms=%.2f window_gbps=%.2f min_ms=%.2f max_ms=%.2f"
                + " ns_per_W_p=%.4f (sigma_1 %.1f)%n", w, threads, p, median, gbps, ms[0], ms[timed - 1],
                median * 1e6 / ((double) w * p), sink / timed);
    }
}
