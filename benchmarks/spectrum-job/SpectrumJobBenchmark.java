import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.Progress;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.core.trajectory.StepFile;
import dev.sedge.spectral.SnapshotBatch;
import dev.sedge.spectral.SnapshotDifferencer;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * `sedge spectrum` over a folder of safetensors checkpoints against only reading the same files,
 * in one process. Prints ms per checkpoint for:
 *
 *   raw     FileChannel.read of every file into one direct buffer (bytes only, no floats)
 *   read    the job's own reader: the group into a float[] (safetensors is memory-mapped; this is
 *           the read the job cannot avoid, without differencing or spectrum)
 *   job     SpectrumJob.run as `sedge spectrum` runs it (batched snapshot engine, default B),
 *           spectrum.csv included
 *   phases  the job's loop by hand: "read" = reading each checkpoint into its batch array,
 *           "engine" = SnapshotSpectralEngine.accept of the full batches (no CSV)
 *   old     the previous path by hand: read into float[], SnapshotDifferencer, SpectralEngine.accept
 *           one update at a time (no CSV); only with "old" as 7th argument
 *
 * With "cold" as 6th argument the page cache is dropped (sync; echo 3 > /proc/sys/vm/drop_caches,
 * needs root) before each of raw, read and job, so each of them reads from disk.
 *
 * args: folder count p window repeats [warm|cold] [old|noold]
 */
public class SpectrumJobBenchmark {

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int p = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        int repeats = Integer.parseInt(args[4]);
        boolean cold = args.length > 5 && args[5].equals("cold");
        boolean old = args.length > 6 && args[6].equals("old");
        SafetensorsFormat safetensors = new SafetensorsFormat();
        CheckpointFormats formats = new CheckpointFormats(List.of(safetensors));

        Files.createDirectories(folder);
        float[] theta = new float[p];
        SplittableRandom random = new SplittableRandom(1);
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < p; i++) {
                theta[i] += (float) (0.01 * random.nextGaussian());
            }
            int half = p / 2;
            safetensors.writer().orElseThrow().write(folder.resolve("step-" + (100 * t) + ".safetensors"), List.of(
                    Tensor.ofFloats("layer1.weight", DType.F32, List.of((long) half), Arrays.copyOf(theta, half)),
                    Tensor.ofFloats("layer2.weight", DType.F32, List.of((long) (p - half)),
                            Arrays.copyOfRange(theta, half, p))), Map.of());
        }
        List<StepFile> files = StepFile.list(folder, formats);
        SpectralOptions options = SpectralOptions.of(window);
        System.out.printf("# %d checkpoints of p = %d floats (%.1f MB each), W = %d, default B = %d, %d cores, %s%n",
                count, p, 4.0 * p / 1e6, window, SnapshotSpectralEngine.defaultBatchSize(options, p),
                Runtime.getRuntime().availableProcessors(), cold ? "page cache dropped before each pass" : "page cache warm");

        double[][] ms = new double[6][repeats]; // raw, read, job, phase read, phase engine, old
        double[] digestMs = new double[repeats];
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * p + (1 << 20));
        for (int r = -1; r < repeats; r++) { // r = -1 warms the page cache and the JIT
            dropCaches(cold);
            long start = System.nanoTime();
            for (StepFile f : files) {
                buffer.clear();
                try (FileChannel channel = FileChannel.open(f.file())) {
                    while (channel.read(buffer) > 0) {
                        if (!buffer.hasRemaining()) {
                            buffer.clear();
                        }
                    }
                }
            }
            long rawNs = System.nanoTime() - start;

            dropCaches(cold);
            start = System.nanoTime();
            GroupReader reader;
            try (Checkpoint first = formats.open(files.getFirst().file())) {
                reader = GroupReader.of(first, new NameGlob("*"));
            }
            for (StepFile f : files) {
                try (Checkpoint c = formats.open(f.file())) {
                    reader.read(c, theta);
                }
            }
            long readNs = System.nanoTime() - start;

            dropCaches(cold);
            start = System.nanoTime();
            new SpectrumJob(formats).run(new SpectrumJob.Request(folder, "*", options,
                    folder.resolve("spectrum.csv"), true), Progress.NONE);
            long jobNs = System.nanoTime() - start;
            start = System.nanoTime();
            InputDigests.of(folder, files.stream().map(StepFile::file).toList());
            long digestNs = System.nanoTime() - start;

            long[] phases = phases(formats, files, reader, options, p);
            long oldNs = old ? oldPath(formats, files, reader, options, p) : 0;
            if (r >= 0) {
                double[] values = {rawNs, readNs, jobNs, phases[0], phases[1], oldNs};
                for (int k = 0; k < values.length; k++) {
                    ms[k][r] = values[k] / 1e6 / count;
                }
                digestMs[r] = digestNs / 1e6 / count;
                System.out.printf("run %d: raw %.1f, read %.1f, job %.1f ms per checkpoint (of which the SHA-256 of"
                        + " the inputs, timed again alone, %.1f); job loop by hand: read %.1f + engine %.1f%s; load %s%n",
                        r, ms[0][r], ms[1][r], ms[2][r], digestMs[r], ms[3][r], ms[4][r],
                        old ? String.format("; old path %.1f", ms[5][r]) : "", load());
            }
        }
        double raw = median(ms[0]);
        double read = median(ms[1]);
        double job = median(ms[2]);
        System.out.printf("SUMMARY median ms/checkpoint: raw %.1f, read-into-floats %.1f, job %.1f (phases: read %.1f,"
                + " engine %.1f%s); job/read = %.2f, job/raw = %.2f; digests alone %.1f%n", raw, read, job,
                median(ms[3]), median(ms[4]),
                old ? String.format(", old path %.1f", median(ms[5])) : "", job / read, job / raw, median(digestMs));
    }

    /** The job's loop without CSV: {read ns, engine ns}. */
    private static long[] phases(CheckpointFormats formats, List<StepFile> files, GroupReader reader,
                                 SpectralOptions options, int p) {
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options, p,
                SnapshotSpectralEngine.defaultBatchSize(options, p));
        SnapshotBatch batch = engine.newBatch();
        long read = 0;
        long compute = 0;
        double[] sink = new double[1];
        for (int i = 0; i <= files.size(); i++) {
            if (i < files.size()) {
                long t0 = System.nanoTime();
                try (Checkpoint c = formats.open(files.get(i).file())) {
                    batch.add(files.get(i).step(), Double.NaN, "", theta -> reader.read(c, theta));
                }
                read += System.nanoTime() - t0;
            }
            if (batch.isFull() || i == files.size()) {
                long t0 = System.nanoTime();
                engine.accept(batch, w -> sink[0] += w.sigma(1));
                compute += System.nanoTime() - t0;
            }
        }
        return new long[] {read, compute};
    }

    /** The path before batching: read, SnapshotDifferencer (a new float[p] per update), SpectralEngine.accept. */
    private static long oldPath(CheckpointFormats formats, List<StepFile> files, GroupReader reader,
                                SpectralOptions options, int p) {
        long start = System.nanoTime();
        SpectralEngine engine = new SpectralEngine(options, p);
        SnapshotDifferencer differencer = new SnapshotDifferencer(p);
        float[] theta = new float[p];
        double sink = 0;
        for (StepFile f : files) {
            try (Checkpoint c = formats.open(f.file())) {
                reader.read(c, theta);
            }
            Optional<float[]> update = differencer.accept(f.step(), theta);
            if (update.isPresent()) {
                sink += engine.accept(f.step(), update.get()).map(w -> w.sigma(1)).orElse(0.0);
            }
        }
        return System.nanoTime() - start + (sink == 0.5 ? 1 : 0);
    }

    private static void dropCaches(boolean cold) throws Exception {
        if (!cold) {
            return;
        }
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        sync.waitFor();
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    }

    private static String load() throws Exception {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
