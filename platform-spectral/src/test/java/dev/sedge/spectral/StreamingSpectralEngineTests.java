package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.spectral.StreamingSpectralEngine.Piece;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingSpectralEngineTests {

    private static float[][] walk(int count, int p, long seed) {
        return SnapshotSpectralEngineTests.walk(count, p, seed);
    }

    private static double rate(int t) {
        return SnapshotSpectralEngineTests.rate(t);
    }

    /** Cuts p into pieces at seeded random places, some of them empty and some shorter than a vector. */
    private static List<Long> cuts(int p, int pieces, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> lengths = new ArrayList<>();
        long left = p;
        for (int t = 0; t < pieces - 1; t++) {
            long length = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextLong(left / 2 + 1);
            lengths.add(length);
            left -= length;
        }
        lengths.add(left);
        return lengths;
    }

    /** θ's pieces, in its array. */
    private static List<Piece> pieces(float[] theta, List<Long> lengths) {
        List<Piece> out = new ArrayList<>();
        long at = 0;
        for (long length : lengths) {
            out.add(new Piece.InArray(theta, (int) at));
            at += length;
        }
        return out;
    }

    /** The snapshot engine's windows, with the same batch size: what streaming must give, bit for bit. */
    private static List<WindowSpectrum> reference(SpectralOptions options, float[][] theta, int batchSize) {
        return SnapshotSpectralEngineTests.batched(new SnapshotSpectralEngine(options, theta[0].length, batchSize), theta);
    }

    /** Feeds the snapshots through a streaming engine in batches of B, counting releases. */
    private static List<WindowSpectrum> streamed(SpectralOptions options, List<List<Piece>> snapshots,
                                                List<Long> lengths, int batchSize, AtomicInteger released) {
        List<WindowSpectrum> out = new ArrayList<>();
        try (StreamingSpectralEngine engine = new StreamingSpectralEngine(options, lengths, batchSize)) {
            List<StreamingSpectralEngine.Snapshot> batch = new ArrayList<>();
            for (int t = 0; t < snapshots.size(); t++) {
                batch.add(new StreamingSpectralEngine.Snapshot(100L * t, rate(t), "snapshot " + t, snapshots.get(t),
                        released::incrementAndGet));
                if (batch.size() == batchSize) {
                    engine.accept(batch, out::add);
                    batch = new ArrayList<>();
                }
            }
            engine.accept(batch, out::add);
        }
        return out;
    }

    @ParameterizedTest(name = "W={0}, B={1}, stride={2}, centered={3}, snapshots={4}, p={5}, pieces={6}")
    @CsvSource({
        "4, 3, 1, false, 23, 5003, 1",
        "4, 3, 1, true, 23, 5003, 7",
        "5, 5, 2, true, 30, 2049, 3",
        "6, 7, 3, false, 41, 40097, 12",
        "3, 1, 1, true, 12, 777, 5",
        "4, 16, 4, true, 50, 1000, 4",
        "20, 21, 1, false, 21, 3001, 9",
        "20, 40, 1, false, 47, 3001, 2",
        "8, 6, 5, true, 33, 270013, 30",
        "2, 2, 1, false, 9, 1, 3",
    })
    void windowsAreBitIdenticalToTheSnapshotEngine(int w, int b, int stride, boolean centered, int count, int p,
                                                   int pieces) {
        float[][] theta = walk(count, p, 31L * w + b);
        List<Long> lengths = cuts(p, pieces, p + pieces);
        SpectralOptions options = SpectralOptions.of(w).withStride(stride).withCentering(centered).withThreads(2);
        List<WindowSpectrum> expected = reference(options, theta, b);
        List<List<Piece>> snapshots = new ArrayList<>();
        for (float[] row : theta) {
            snapshots.add(pieces(row, lengths));
        }
        AtomicInteger released = new AtomicInteger();
        List<WindowSpectrum> actual = streamed(options.withThreads(2), snapshots, lengths, b, released);

        assertEquals((count - 1 - w) / stride + 1, expected.size());
        assertEquals(expected, actual, "every window, every field, bit for bit");
        assertEquals(count, released.get(), "each snapshot released exactly once");
    }

    @Test
    void snapshotsReadFromFilesGiveTheSameWindows(@TempDir Path dir) throws IOException {
        int p = 70_001;
        int count = 12;
        float[][] theta = walk(count, p, 5);
        List<Long> lengths = List.of(4_096L, 3L, 65_902L);
        SpectralOptions options = SpectralOptions.of(5).withCentering(true).withThreads(2);
        List<WindowSpectrum> expected = reference(options, theta, 6);
        AtomicInteger released = new AtomicInteger();
        List<FileChannel> channels = new ArrayList<>();
        List<List<Piece>> snapshots = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Path file = dir.resolve("step-" + t + ".bin");
            ByteBuffer bytes = ByteBuffer.allocate(16 + 4 * p).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(7).putLong(9); // a header before the data, as in a checkpoint
            bytes.asFloatBuffer().put(theta[t]);
            Files.write(file, bytes.array());
            FileChannel channel = FileChannel.open(file);
            channels.add(channel);
            snapshots.add(List.of(new Piece.InFile(channel, 16, file), new Piece.InFile(channel, 16 + 4 * 4_096L, file),
                    new Piece.InFile(channel, 16 + 4 * 4_099L, file)));
        }
        assertEquals(expected, streamed(options, snapshots, lengths, 6, released));
        assertEquals(count, released.get());
        for (FileChannel channel : channels) {
            channel.close();
        }
    }

    @Test
    void theKernelsSumsDoNotDependOnTheWaveSize() {
        int p = 262_145; // 17 segments, its blocks scaled by powers of two from 2^-40 to 2^40 so that order shows
        float[][] theta = walk(9, p, 3);
        for (float[] row : theta) {
            for (int c = 0; c < p; c++) {
                row[c] = Math.scalb(row[c], (int) ((c / 2048 * 37L + c % 8 * 11L) % 81) - 40);
            }
        }
        double[][] whole = new double[8][5];
        BatchGramKernel.products(theta, 0, 4, whole, 2);
        for (int wave : new int[] {1, 3, 16}) {
            double[][] waved = new double[8][5];
            BatchGramKernel.products(new PieceChain(List.of(theta).stream().map(row -> pieces(row, List.of((long) p)))
                    .toList(), new PieceLayout(List.of((long) p))), 0, 4, waved, 2, wave);
            for (int j = 0; j < 8; j++) {
                assertArrayEquals(whole[j], waved[j], "wave " + wave + ", row " + j);
            }
        }
    }

    @Test
    void theEngineHoldsNoMoreThanTheKeptSnapshotsAndOneBatch() {
        int p = 3_000;
        int w = 4;
        int b = 5;
        float[][] theta = walk(30, p, 8);
        List<Long> lengths = List.of((long) p);
        AtomicInteger outstanding = new AtomicInteger();
        int[] most = new int[1];
        try (StreamingSpectralEngine engine = new StreamingSpectralEngine(SpectralOptions.of(w), lengths, b)) {
            List<StreamingSpectralEngine.Snapshot> batch = new ArrayList<>();
            for (int t = 0; t < theta.length; t++) {
                outstanding.incrementAndGet();
                most[0] = Math.max(most[0], outstanding.get());
                batch.add(new StreamingSpectralEngine.Snapshot(t, Double.NaN, "", pieces(theta[t], lengths),
                        outstanding::decrementAndGet));
                if (batch.size() == b) {
                    engine.accept(batch, x -> { });
                    batch = new ArrayList<>();
                }
            }
            engine.accept(batch, x -> { });
            assertEquals(w + 1, outstanding.get(), "the W + stride kept snapshots stay open until close");
        }
        assertEquals(0, outstanding.get());
        assertTrue(most[0] <= w + 1 + b, "at most W + stride + B open at once, found " + most[0]);
    }

    private static NumericException failure(float[][] theta, int batchSize, List<Long> lengths, AtomicInteger released,
                                            List<WindowSpectrum> windows) {
        StreamingSpectralEngine engine = new StreamingSpectralEngine(SpectralOptions.of(3), lengths, batchSize);
        NumericException thrown = assertThrows(NumericException.class, () -> {
            List<StreamingSpectralEngine.Snapshot> batch = new ArrayList<>();
            for (int t = 0; t < theta.length; t++) {
                batch.add(new StreamingSpectralEngine.Snapshot(10L * t, Double.NaN, "checkpoint step-" + (10 * t),
                        pieces(theta[t], lengths), released::incrementAndGet));
                if (batch.size() == batchSize) {
                    engine.accept(batch, windows::add);
                    batch = new ArrayList<>();
                }
            }
            engine.accept(batch, windows::add);
        });
        assertThrows(IllegalStateException.class, () -> engine.accept(List.of(), x -> { }));
        return thrown;
    }

    @Test
    void nonFiniteValuesAreNamedByStepIndexAndFileAndEverySnapshotIsReleased() {
        List<Long> lengths = List.of(100L, 900L);
        for (int b : new int[] {1, 4, 12}) {
            float[][] first = walk(12, 1_000, 1);
            first[0][150] = Float.NaN;
            first[1][3] = Float.NaN;
            AtomicInteger released = new AtomicInteger();
            List<WindowSpectrum> windows = new ArrayList<>();
            String message = failure(first, b, lengths, released, windows).getMessage();
            assertTrue(message.startsWith("the snapshot at step 0 holds NaN at index 150 (of p = 1000)"), message);
            assertTrue(message.endsWith("(in checkpoint step-0)"), message);
            assertEquals(0, windows.size());

            float[][] later = walk(12, 1_000, 1);
            later[7][999] = Float.POSITIVE_INFINITY;
            released.set(0);
            windows.clear();
            message = failure(later, b, lengths, released, windows).getMessage();
            assertTrue(message.startsWith("the snapshot at step 70 holds Infinity at index 999"), message);
            assertTrue(message.endsWith("(in checkpoint step-70)"), message);
            assertEquals(4, windows.size(), "the windows before the bad update were emitted (B = " + b + ")");
            assertEquals(60, windows.getLast().step());
            assertEquals(Math.min(12, (8 + b - 1) / b * b), released.get(), "every snapshot given, released once");

            float[][] overflow = walk(12, 1_000, 1);
            overflow[0][10] = 3e38f;
            overflow[1][10] = -3e38f;
            released.set(0);
            message = failure(overflow, b, lengths, released, new ArrayList<>()).getMessage();
            assertTrue(message.startsWith("the update at step 10 holds -Infinity at index 10"), message);
            assertTrue(message.endsWith(" (of p = 1000); expected finite values. Training diverged or the checkpoint is"
                    + " corrupt: analyse the run up to the step before, or lower the learning rate and re-train"
                    + " (in checkpoint step-10)"), message);

            float[][] large = walk(12, 1_000, 1);
            large[4][500] = 1e20f;
            message = failure(large, b, lengths, new AtomicInteger(), new ArrayList<>()).getMessage();
            assertTrue(message.startsWith("the update at step 40 is finite but its squared norm overflows"), message);
            assertTrue(message.endsWith("check the run for divergence (in checkpoint step-40)"), message);
        }
    }

    @Test
    void aBatchThatDoesNotFitTheLayoutIsRefusedAndReleased() {
        AtomicInteger released = new AtomicInteger();
        float[] theta = new float[10];
        try (StreamingSpectralEngine engine = new StreamingSpectralEngine(SpectralOptions.of(2), List.of(4L, 6L), 2)) {
            var wrong = new StreamingSpectralEngine.Snapshot(1, Double.NaN, "", pieces(theta, List.of(5L, 5L)),
                    released::incrementAndGet);
            var right = new StreamingSpectralEngine.Snapshot(2, Double.NaN, "", pieces(theta, List.of(4L, 6L)),
                    released::incrementAndGet);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.accept(List.of(wrong, right), x -> { }));
            assertTrue(e.getMessage().contains("piece 1 of the snapshot at step 1 holds 5 floats, the layout says 6"),
                    e.getMessage());
            assertEquals(2, released.get());
            assertThrows(IllegalArgumentException.class, () -> engine.accept(List.of(right, right, right), x -> { }));
            assertEquals(5, released.get());
            engine.accept(List.of(right), x -> { }); // an illegal argument leaves the engine usable
        }
        assertEquals(6, released.get());
        assertThrows(IllegalArgumentException.class,
                () -> new StreamingSpectralEngine(SpectralOptions.of(4).withDefaultSketch(1), List.of(8L), 2));
    }

    @Test
    void filesAreReadLittleEndianAndACutFileIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two.bin");
        ByteBuffer bytes = ByteBuffer.allocate(4 * 6).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 3; i++) {
                bytes.putFloat((t + 1) * (i + 1.5f));
            }
        }
        Files.write(file, bytes.array());
        try (FileChannel channel = FileChannel.open(file)) {
            PieceChain.Reader reader = new PieceChain(List.of(List.of(new Piece.InFile(channel, 0, file)),
                    List.of(new Piece.InFile(channel, 12, file))), new PieceLayout(List.of(3L))).differences();
            float[] deltas = new float[BatchGramKernel.SUB];
            reader.segment(0, 3);
            reader.block(0, 3, deltas);
            assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, Arrays.copyOf(deltas, 3));

            PieceChain.Reader beyond = new PieceChain(List.of(List.of(new Piece.InFile(channel, 0, file)),
                    List.of(new Piece.InFile(channel, 16, file))), new PieceLayout(List.of(3L))).differences();
            beyond.segment(0, 3);
            DataFormatException e = assertThrows(DataFormatException.class, () -> beyond.block(0, 3, deltas));
            assertTrue(e.getMessage().startsWith(file + ": the file ended at byte 24"), e.getMessage());
        }
    }
}
