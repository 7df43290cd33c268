import dev.sedge.core.Progress;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * `sedge spectrum`'s job over a folder of large safetensors checkpoints (benchmarks/scale/make_big_trajectory.py)
 * against reading the same files sequentially, in one process, alternating, so that both see the same machine:
 *
 *   read      FileChannel.read of every file, in order, into one 1 MiB direct buffer: the sequential read
 *             bandwidth from the page cache (what `dd bs=1M` measures), the yardstick
 *   spectrum  SpectrumJob.run as `sedge spectrum DIR --group w --window W --no-digest` runs it (the files read in
 *             place, one segmented pass), spectrum.csv included
 *
 * Prints GB/s of each per repeat, the ratio spectrum/read, and the last window's top singular values.
 *
 * args: folder window repeats threads
 */
public class BigSpectrumBenchmark {

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int window = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(f -> f.toString().endsWith(".safetensors")).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("# %d files, %.2f GB; W = %d, %d threads, heap %.1f GB%n", files.size(), bytes / 1e9, window,
                threads, Runtime.getRuntime().maxMemory() / 1e9);
        CheckpointFormats formats = new CheckpointFormats(List.of(new SafetensorsFormat()));
        SpectralOptions options = SpectralOptions.of(window).withThreads(threads);
        Path out = Files.createTempFile("big-spectrum", ".csv");
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        System.out.println("repeat  read GB/s  spectrum GB/s  ratio  spectrum s");
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (Path f : files) {
                try (FileChannel channel = FileChannel.open(f)) {
                    while (channel.read(buffer) >= 0) {
                        buffer.clear();
                    }
                }
            }
            double read = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            SpectrumJob.Result result = new SpectrumJob(formats).run(
                    new SpectrumJob.Request(folder, "w", options, out, true, false), Progress.NONE);
            double spectrum = (System.nanoTime() - t1) / 1e9;
            System.out.printf("%6d  %9.2f  %13.2f  %5.2f  %10.2f%n", r + 1, bytes / 1e9 / read, bytes / 1e9 / spectrum,
                    read / spectrum, spectrum);
            if (r == repeats - 1) {
                WindowSpectrum last = result.last().orElseThrow();
                System.out.printf("# last window (step %d): sigma_1..5 = %.1f %.1f %.1f %.1f %.1f%n", last.step(),
                        last.sigma()[0], last.sigma()[1], last.sigma()[2], last.sigma()[3], last.sigma()[4]);
            }
        }
        Files.deleteIfExists(out);
        Files.deleteIfExists(Path.of(out + ".provenance.json"));
    }
}
