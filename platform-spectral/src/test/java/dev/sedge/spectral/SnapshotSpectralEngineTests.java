package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.NumericException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotSpectralEngineTests {

    /**
     * A random walk θ_t = θ_{t−1} + δ_t around an offset of 1 (so that differencing rounds), with a
     * slowly turning drift (so that windows have an edge and centering matters).
     */
    static float[][] walk(int count, int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] theta = new float[count][p];
        for (int c = 0; c < p; c++) {
            theta[0][c] = 1f + (float) random.nextGaussian();
        }
        for (int t = 1; t < count; t++) {
            for (int c = 0; c < p; c++) {
                double drift = 0.3 * Math.sin(0.1 * t + c % 7);
                theta[t][c] = theta[t - 1][c] + (float) (1e-3 * (drift + random.nextGaussian()));
            }
        }
        return theta;
    }

    static double rate(int t) {
        return 1e-3 / (1 + t % 4);
    }

    /** The reference: SnapshotDifferencer, then SpectralEngine.accept one update at a time. */
    private static List<WindowSpectrum> oneByOne(SpectralOptions options, float[][] theta, SpectralEngine engine) {
        SnapshotDifferencer differencer = new SnapshotDifferencer(theta[0].length);
        List<WindowSpectrum> out = new ArrayList<>();
        for (int t = 0; t < theta.length; t++) {
            Optional<float[]> update = differencer.accept(100L * t, theta[t]);
            if (update.isPresent()) {
                engine.accept(100L * t, update.get(), rate(t)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The windows of {@code theta} fed through {@code engine} in full batches (steps 100·t, rates {@link #rate}). */
    static List<WindowSpectrum> batched(SnapshotSpectralEngine engine, float[][] theta) {
        List<WindowSpectrum> out = new ArrayList<>();
        SnapshotBatch batch = engine.newBatch();
        for (int t = 0; t < theta.length; t++) {
            float[] snapshot = theta[t];
            batch.add(100L * t, rate(t), "snapshot " + t, a -> System.arraycopy(snapshot, 0, a, 0, a.length));
            if (batch.isFull()) {
                engine.accept(batch, out::add);
            }
        }
        engine.accept(batch, out::add);
        return out;
    }

    @ParameterizedTest(name = "W={0}, B={1}, stride={2}, centered={3}, snapshots={4}, p={5}")
    @CsvSource({
        "4, 3, 1, false, 23, 5003",
        "4, 3, 1, true, 23, 5003",
        "5, 5, 2, true, 30, 2049",
        "6, 7, 3, false, 41, 4097",
        "3, 1, 1, true, 12, 777",
        "4, 16, 4, true, 50, 1000",
        "4, 16, 4, false, 50, 1000",
        "20, 21, 1, false, 47, 3001",
        "8, 6, 5, true, 33, 270013",
        "2, 2, 1, false, 9, 1",
        "3, 4, 2, true, 15, 9",
    })
    void batchedSnapshotsGiveBitIdenticalWindowsToOneUpdateAtATime(int w, int b, int stride, boolean centered,
                                                                    int count, int p) {
        float[][] theta = walk(count, p, 31L * w + b);
        SpectralOptions options = SpectralOptions.of(w).withStride(stride).withCentering(centered);
        SpectralEngine reference = new SpectralEngine(options.withThreads(1), p);
        List<WindowSpectrum> expected = oneByOne(options, theta, reference);
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options.withThreads(2), p, b);
        List<WindowSpectrum> actual = batched(engine, theta);

        assertEquals((count - 1 - w) / stride + 1, expected.size());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "window " + i + " (every field, bit for bit)");
        }
        assertEquals(reference.updates(), engine.updates());
        if ((count - 1 - w) % stride == 0) { // the last update emitted: both describe the same window
            double[][] g = reference.gram();
            double[][] h = engine.gram();
            for (int i = 0; i < w; i++) {
                assertArrayEquals(g[i], h[i], "Gram row " + i);
            }
        }
    }

    /**
     * The same walk with each block of 2048 and each lane scaled by its own power of two between 2⁻⁴⁰
     * and 2⁴⁰, the last (partial) block by 2⁴⁰ … 2⁵⁴ so that its lanes and tail dominate: block, lane,
     * tail and segment sums then differ by many orders of magnitude and double additions round, so a
     * change of summation order shows.
     */
    private static float[][] wideWalk(int count, int p, long seed) {
        float[][] theta = walk(count, p, seed);
        int lastBlock = (p - 1) / 2048 * 2048;
        for (float[] row : theta) {
            for (int c = 0; c < p; c++) {
                int exponent = c >= lastBlock ? 40 + 2 * (c % 8) : (int) ((c / 2048 * 37L + c % 8 * 11L) % 81) - 40;
                row[c] = Math.scalb(row[c], exponent);
            }
        }
        return theta;
    }

    @Test
    void batchProductsAreBitIdenticalToTheSingleUpdateKernelOnTheDifferences() {
        for (int p : new int[] {1, 7, 9, 2_047, 2_049, 262_145, 530_003, 790_001}) {
            float[][] theta = p > 100_000 ? wideWalk(9, p, p) : walk(9, p, p);
            float[][] delta = new float[8][p];
            for (int k = 0; k < 8; k++) {
                for (int c = 0; c < p; c++) {
                    delta[k][c] = theta[k + 1][c] - theta[k][c];
                }
            }
            int reach = 3;
            int first = 2;
            double[][] out = new double[6][reach + 1];
            BatchGramKernel.products(theta, first, reach, out, 2);
            for (int k = first; k < 8; k++) {
                int lo = Math.max(0, k - reach);
                float[][] rows = Arrays.copyOfRange(delta, lo, k);
                double[] single = new double[k - lo + 1];
                GramKernel.dotsAndCopy(delta[k], rows, rows.length, null, single, 1);
                assertArrayEquals(single, Arrays.copyOf(out[k - first], single.length),
                        "p = " + p + ", update " + k);
            }
        }
    }

    @Test
    void nanInTheMiddleOfABatchNamesStepAndOriginAfterTheWindowsBeforeIt() {
        int p = 3_001;
        float[][] theta = walk(14, p, 5);
        theta[9][1234] = Float.NaN;
        SpectralOptions options = SpectralOptions.of(3);
        NumericException reference = assertThrows(NumericException.class,
                () -> oneByOne(options, theta, new SpectralEngine(options, p)));
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options, p, 4);
        List<WindowSpectrum> windows = new ArrayList<>();
        SnapshotBatch batch = engine.newBatch();
        NumericException e = assertThrows(NumericException.class, () -> {
            for (int t = 0; t < theta.length; t++) {
                float[] snapshot = theta[t];
                batch.add(100L * t, rate(t), "checkpoint step-" + t, a -> System.arraycopy(snapshot, 0, a, 0, p));
                if (batch.isFull()) {
                    engine.accept(batch, windows::add);
                }
            }
        });

        assertEquals(reference.getMessage() + " (in checkpoint step-9)", e.getMessage());
        assertTrue(e.getMessage().contains("snapshot at step 900") && e.getMessage().contains("index 1234"),
                e.getMessage());
        assertEquals(8, engine.updates(), "the updates of snapshots 1..8 (8 being the first of the batch 8..11)");
        List<WindowSpectrum> before = oneByOne(options, Arrays.copyOf(theta, 9), new SpectralEngine(options, p));
        assertEquals(before, windows, "the windows before the bad snapshot, as one update at a time gives them");
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> engine.accept(batch, w -> { }));
        assertTrue(stopped.getMessage().contains("start a new engine"), stopped.getMessage());
    }

    @Test
    void nonFiniteFirstSnapshotIsRefusedAsTheDifferencerRefusesIt() {
        int p = 100;
        float[][] theta = walk(5, p, 2);
        theta[0][3] = Float.POSITIVE_INFINITY;
        NumericException reference = assertThrows(NumericException.class,
                () -> new SnapshotDifferencer(p).accept(0, theta[0]));
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(SpectralOptions.of(3), p, 8);
        SnapshotBatch batch = engine.newBatch();
        for (int t = 0; t < 5; t++) {
            float[] snapshot = theta[t];
            batch.add(100L * t, a -> System.arraycopy(snapshot, 0, a, 0, p));
        }
        NumericException e = assertThrows(NumericException.class, () -> engine.accept(batch, w -> { }));
        assertEquals(reference.getMessage(), e.getMessage());
        assertEquals(0, engine.updates());
    }

    @Test
    void finiteSnapshotsWhoseUpdateOverflowsAreRefusedAsTheEngineRefusesThem() {
        int p = 50;
        float[][] theta = new float[6][p];
        for (int t = 0; t < 6; t++) {
            Arrays.fill(theta[t], t);
        }
        theta[4][7] = 1e30f; // finite, but its square overflows float accumulation
        SpectralOptions options = SpectralOptions.of(2);
        NumericException reference = assertThrows(NumericException.class,
                () -> oneByOne(options, theta, new SpectralEngine(options, p)));
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options, p, 6);
        NumericException e = assertThrows(NumericException.class, () -> batched(engine, theta));
        assertEquals(reference.getMessage() + " (in snapshot 4)", e.getMessage());
        assertTrue(e.getMessage().contains("update at step 400"), e.getMessage());
    }

    @Test
    void sketchedEngineGivesTheWindowsOfTheSketchedSingleUpdatePath() {
        int p = 4_000;
        float[][] theta = walk(12, p, 8);
        SpectralOptions options = SpectralOptions.of(4).withSketch(40, 3).withStride(2);
        List<WindowSpectrum> expected = oneByOne(options, theta, new SpectralEngine(options, p));
        List<WindowSpectrum> actual = batched(new SnapshotSpectralEngine(options, p, 3), theta);
        assertEquals(4, expected.size());
        assertEquals(expected, actual);
        assertTrue(actual.getFirst().sketched());
    }

    @Test
    void rejectsStepsThatDoNotIncreaseAndBatchesOfAnotherEngineAndStaysUsable() {
        int p = 64;
        float[][] theta = walk(6, p, 4);
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(SpectralOptions.of(2), p, 2);
        SnapshotBatch batch = engine.newBatch();
        batch.add(10, a -> System.arraycopy(theta[0], 0, a, 0, p));
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> batch.add(10, a -> { }));
        assertTrue(order.getMessage().contains("step 10 came after step 10"), order.getMessage());
        batch.add(20, a -> System.arraycopy(theta[1], 0, a, 0, p));
        assertThrows(IllegalStateException.class, () -> batch.add(30, a -> { }), "full");
        engine.accept(batch, w -> { });
        assertTrue(batch.isEmpty());

        batch.add(15, a -> System.arraycopy(theta[2], 0, a, 0, p));
        IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
                () -> engine.accept(batch, w -> { }));
        assertTrue(later.getMessage().contains("step 15 came after step 20"), later.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> engine.accept(new SnapshotSpectralEngine(SpectralOptions.of(2), p, 3).newBatch(), w -> { }));
        assertThrows(IllegalArgumentException.class, () -> batch.add(40, -1.0, "", a -> { }));
        assertThrows(RuntimeException.class, () -> batch.add(40, a -> {
            throw new IllegalStateException("reader failed");
        }));
        assertEquals(1, batch.size(), "a failed fill adds nothing");

        SnapshotBatch fresh = engine.newBatch();
        List<WindowSpectrum> windows = new ArrayList<>();
        fresh.add(30, a -> System.arraycopy(theta[2], 0, a, 0, p));
        engine.accept(fresh, windows::add);
        assertEquals(1, windows.size());
        assertEquals(30, windows.getFirst().step());
        assertEquals(20, windows.getFirst().firstStep());
    }

    @Test
    void defaultBatchSizeAmortisesTheStoredRowsAndKeepsWithinHalfTheHeap() {
        SpectralOptions options = SpectralOptions.of(20).withStride(2);
        assertEquals(22, SnapshotSpectralEngine.defaultBatchSize(options, 1_000), "B = W + stride");
        assertEquals(1, SnapshotSpectralEngine.defaultBatchSize(options.withDefaultSketch(1), 1_000));
        long halfHeapInFloats = Runtime.getRuntime().maxMemory() / 2 / 4;
        int roomFor30 = (int) Math.min(Integer.MAX_VALUE - 16, halfHeapInFloats / 30);
        int b = SnapshotSpectralEngine.defaultBatchSize(options, roomFor30);
        assertTrue(b >= 7 && b <= 8, "22 kept + B must fit in about 30 rows; B = " + b);
        assertEquals(1, SnapshotSpectralEngine.defaultBatchSize(options, (int) Math.min(Integer.MAX_VALUE - 16,
                halfHeapInFloats / 10)), "never below 1");
    }
}
