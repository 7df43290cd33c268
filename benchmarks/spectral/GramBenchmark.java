import dev.sedge.spectral.SnapshotBatch;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
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
 * Then the offline path, SnapshotSpectralEngine with batches of B = W + 1 snapshots (stride 1, so
 * again every update emits a window), one line per W:
 *
 *   RESULT batched W=<W> B=<B> threads=<t> p=<p> ms=<median ms per update over timed batches> window_gbps=...
 *
 * The batch arrays are not refilled between batches (they hold earlier snapshots, all finite):
 * this times the engine's pass and windows only, not reading or copying snapshots.
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
        pool = null;
        for (int threads : threadCounts) {
            for (int w : widths) {
                batched(p, w, threads, Math.max(3, timed / 4));
            }
        }
    }

    private static void batched(int p, int w, int threads, int batches) {
        int b = w + 1;
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(SpectralOptions.of(w).withThreads(threads), p, b);
        SnapshotBatch batch = engine.newBatch();
        SplittableRandom random = new SplittableRandom(7);
        long[] step = {0};
        double[] sink = {0};
        for (int i = 0; i < 2 * b; i++) { // distinct snapshots in every array of the engine and the batch
            batch.add(++step[0], a -> {
                for (int c = 0; c < a.length; c++) {
                    a[c] = (float) random.nextGaussian();
                }
            });
            if (batch.isFull()) {
                engine.accept(batch, win -> sink[0] += win.sigma(1));
            }
        }
        double[] ms = new double[batches];
        for (int k = -1; k < batches; k++) { // k = -1 warms the JIT on a full batch
            while (!batch.isFull()) {
                batch.add(++step[0], a -> { });
            }
            long t0 = System.nanoTime();
            engine.accept(batch, win -> sink[0] += win.sigma(1));
            if (k >= 0) {
                ms[k] = (System.nanoTime() - t0) / 1e6 / b;
            }
        }
        Arrays.sort(ms);
        double median = ms[batches / 2];
        System.out.printf("RESULT batched W=%d B=%d threads=%d p=%d ms=%.2f window_gbps=%.2f min_ms=%.2f max_ms=%.2f"
                + " ns_per_W_p=%.4f (sigma_1 %.1f)%n", w, b, threads, p, median, (double) w * p * 4 / 1e9 / (median / 1e3),
                ms[0], ms[batches - 1], median * 1e6 / ((double) w * p), sink[0] / (batches + 2));
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
