package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sedge.spectral.SnapshotBatch;
import dev.sedge.spectral.SnapshotDifferencer;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotHistoryTests {

    private static final int P = 300;

    @TempDir
    Path work;

    /** A differencer and an engine fed snapshot by snapshot, as the live monitor feeds them. */
    private static final class Live {
        final SnapshotDifferencer differencer = new SnapshotDifferencer(P);
        final SpectralEngine engine;

        Live(SpectralOptions options) {
            engine = new SpectralEngine(options, P);
        }

        Optional<WindowSpectrum> accept(long step, float[] theta, double rate) {
            Optional<float[]> update = differencer.accept(step, theta);
            return update.isEmpty() ? Optional.empty() : engine.accept(step, update.get(), rate);
        }
    }

    private static float[] snapshot(SplittableRandom random, int k) {
        float[] theta = new float[P];
        for (int i = 0; i < P; i++) {
            theta[i] = (float) (random.nextGaussian() + 0.01 * k * (i % 7));
        }
        return theta;
    }

    @Test
    void replayingTheHeldSnapshotsRebuildsTheEngineExactlyAtEveryStridePhase() {
        for (int stride : List.of(1, 3)) {
            SpectralOptions options = SpectralOptions.of(4).withStride(stride).withThreads(1);
            for (int taken = 1; taken <= 16; taken++) {
                SplittableRandom random = new SplittableRandom(taken * 31L + stride);
                Live live = new Live(options);
                SnapshotSpectralEngine kept = new SnapshotSpectralEngine(options, P, 3); // keeps what history saves
                SnapshotBatch batch = kept.newBatch();
                List<float[]> future = new ArrayList<>();
                for (int k = 0; k < taken + 12; k++) {
                    future.add(snapshot(random, k));
                }
                for (int k = 0; k < taken; k++) {
                    float[] theta = future.get(k);
                    batch.add(k * 10L, 0.5, "", values -> System.arraycopy(theta, 0, values, 0, P));
                    if (batch.isFull() || k == taken - 1) {
                        kept.accept(batch, window -> { });
                    }
                    live.accept(k * 10L, future.get(k), 0.5);
                }
                SnapshotHistory history = new SnapshotHistory(kept.snapshots(), kept.kept());
                Path file = work.resolve("monitor-" + stride + "-" + taken + ".safetensors");
                history.write(file, (taken - 1) * 10L);
                SnapshotHistory read = SnapshotHistory.read(file, options.window() + stride, P);
                Live resumed = new Live(options);
                for (SnapshotSpectralEngine.Kept held : read.replay(options.window(), stride)) {
                    resumed.accept(held.step(), held.theta(), held.rate());
                }
                for (int k = taken; k < future.size(); k++) {
                    assertEquals(live.accept(k * 10L, future.get(k), 0.5), resumed.accept(k * 10L, future.get(k), 0.5),
                            "stride " + stride + ", resumed after " + taken + " snapshots, snapshot " + k);
                }
            }
        }
    }
}
