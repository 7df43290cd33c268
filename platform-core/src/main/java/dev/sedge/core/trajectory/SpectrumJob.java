package dev.sedge.core.trajectory;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.Progress;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.spectral.SnapshotBatch;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Computes the spectrum of a stored trajectory: a run directory (its {@code checkpoints/}) or any
 * folder of checkpoints, in step order; the chosen group is read from each checkpoint once,
 * straight into a {@link SnapshotBatch}, and each full batch goes through a
 * {@link SnapshotSpectralEngine} (which differences the snapshots into updates inside its Gram
 * pass); every window is written to a {@code spectrum.csv} (atomically: nothing is left behind on
 * failure). The windows are those of feeding the updates one by one to a
 * {@link dev.sedge.spectral.SpectralEngine}, bit for bit, and the first error in file order is
 * the one reported.
 *
 * <p>Memory: the engine keeps W + stride snapshots and one batch of B, 4·(W + stride + B)·p bytes
 * ({@link SnapshotSpectralEngine#defaultBatchSize} unless a batch size is given). Threads: the
 * calling thread, and up to {@code options.threads()} in the engine's passes.
 */
public final class SpectrumJob {

    /**
     * What to compute.
     *
     * @param source  a run directory or a folder of checkpoints
     * @param group   a tensor-name pattern, or the name of a parameter group of a run directory
     * @param options window, stride, centering, sketch
     * @param out     the spectrum.csv to write; null for {@code spectrum.csv} in the run directory
     *                (or in the checkpoint folder)
     * @param replace whether an existing {@code out} may be replaced; if not, an existing file is
     *                refused before anything is read
     */
    public record Request(Path source, String group, SpectralOptions options, Path out, boolean replace) {

        /** A request that never replaces an existing file. */
        public Request(Path source, String group, SpectralOptions options, Path out) {
            this(source, group, options, out, false);
        }
    }

    /**
     * What was computed.
     *
     * @param out         the file written
     * @param checkpoints how many checkpoints were read
     * @param windows     how many windows were written
     * @param dimension   p, the length of each update
     * @param tensors     the tensors of the group, in concatenation order
     * @param last        the last window, if any
     */
    public record Result(Path out, int checkpoints, int windows, int dimension, List<String> tensors,
                         Optional<WindowSpectrum> last) {
        public Result {
            tensors = List.copyOf(tensors);
        }
    }

    private final CheckpointFormats formats;
    private final int batchSize;

    /** A job whose batch size is {@link SnapshotSpectralEngine#defaultBatchSize}. */
    public SpectrumJob(CheckpointFormats formats) {
        this(formats, 0);
    }

    /**
     * @param batchSize B, how many checkpoints are read before one pass of the engine, ≥ 1; or 0 for
     *                  {@link SnapshotSpectralEngine#defaultBatchSize}. It changes speed and memory only,
     *                  never the result
     */
    public SpectrumJob(CheckpointFormats formats, int batchSize) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 1, or 0 for the default; found " + batchSize);
        }
        this.formats = formats;
        this.batchSize = batchSize;
    }

    /**
     * Runs the job.
     *
     * @throws ConfigException     for an output file that exists when the request does not replace it
     * @throws DataFormatException for a source that is not a folder, holds too few checkpoints for one
     *         window (W + 1), or a checkpoint that cannot be read or does not match the first
     * @throws NumericException    for NaN or infinity in a checkpoint, naming the file
     */
    public Result run(Request request, Progress progress) {
        Path source = request.source();
        boolean isRun = RunLayout.isRun(source);
        Path folder = isRun ? new RunLayout(source).checkpoints() : source;
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(isRun ? "run directory " + source + " has no checkpoints/ folder"
                    : !Files.exists(source) ? source + " does not exist; give a run directory or a folder of checkpoints"
                    : source + " is neither a run directory nor a folder of checkpoints");
        }
        if (!isRun) {
            return compute(request, source, false, folder, progress);
        }
        try (RunLock lock = RunLock.acquire(source, "sedge spectrum")) {
            return compute(request, lock.layout().root(), true, folder, progress);
        }
    }

    private Result compute(Request request, Path source, boolean isRun, Path folder, Progress progress) {
        Path out = request.out() != null ? request.out()
                : (isRun ? new RunLayout(source).spectrum() : folder.resolve("spectrum.csv"));
        if (!request.replace() && Files.exists(out)) {
            boolean own = isRun && out.toAbsolutePath().normalize().equals(new RunLayout(source).spectrum()
                    .toAbsolutePath().normalize());
            throw new ConfigException(out + " exists already" + (own ? " (the run's own spectrum)" : "")
                    + "; write the new one elsewhere with --out FILE, or replace it with --force");
        }
        List<StepFile> files = StepFile.list(folder, formats);
        int window = request.options().window();
        if (files.size() < window + 1) {
            throw new DataFormatException(folder + " holds " + files.size() + " checkpoint(s) in a known format, "
                    + "too few for one window: W = " + window + " updates need " + (window + 1)
                    + " checkpoints. Choose a smaller --window, or keep checkpoints more often when training"
                    + " (train.checkpoint-every). Nothing was written");
        }
        NameGlob group = GroupReader.group(source, request.group());
        GroupReader reader;
        try (Checkpoint first = formats.open(files.getFirst().file())) {
            reader = GroupReader.of(first, group);
        }
        int p = reader.dimension();
        SpectralOptions options = request.options();
        SnapshotSpectralEngine engine = new SnapshotSpectralEngine(options, p,
                batchSize > 0 ? batchSize : SnapshotSpectralEngine.defaultBatchSize(options, p));
        SnapshotBatch batch = engine.newBatch();
        Windows windows;
        Map<String, String> digests;
        try (SpectrumCsv.Writer writer = SpectrumCsv.open(out, options.window());
             InputDigests.Background digesting = new InputDigests.Background()) {
            windows = new Windows(writer);
            try {
                for (int i = 0; i < files.size(); i++) {
                    StepFile file = files.get(i);
                    progress.update(i, files.size(), "step " + file.step());
                    read(file, reader, batch, engine, windows);
                    digesting.submit(file.file());
                    if (batch.isFull()) {
                        engine.accept(batch, windows);
                    }
                }
                engine.accept(batch, windows);
                digests = digesting.await(source);
                progress.update(files.size(), files.size(), "done");
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
        }
        SpectrumProvenance.write(out, provenance(request, source, files, digests));
        return new Result(out, files.size(), windows.count, p,
                reader.tensors().stream().map(TensorInfo::name).toList(), Optional.ofNullable(windows.last));
    }

    /** How the spectrum was made: sedge, the formats that read the checkpoints, the options, and their digests. */
    private Provenance provenance(Request request, Path source, List<StepFile> files, Map<String, String> digests) {
        Map<String, String> plugins = formats.versions(files);
        SpectralOptions options = request.options();
        Map<String, String> config = new TreeMap<>();
        config.put("spectrum.source", source.toString());
        config.put("spectrum.group", request.group());
        config.put("spectrum.window", Integer.toString(options.window()));
        config.put("spectrum.stride", Integer.toString(options.stride()));
        config.put("spectrum.centered", Boolean.toString(options.centered()));
        config.put("spectrum.sketch", Integer.toString(options.sketchDimension()));
        return Provenance.now(SedgeVersion.current(), plugins, config,
                options.sketchDimension() > 0 ? options.sketchSeed() : 0, digests);
    }

    /**
     * Reads {@code file}'s group into {@code batch}. If it cannot be read, the checkpoints before it
     * in the batch are taken first, so that an error among them (NaN …) is the one reported: errors
     * come in file order, as when every checkpoint was taken on its own.
     */
    private void read(StepFile file, GroupReader reader, SnapshotBatch batch, SnapshotSpectralEngine engine,
                      Windows windows) {
        try (Checkpoint checkpoint = formats.open(file.file())) {
            batch.add(file.step(), Double.NaN, "checkpoint " + file.file(), theta -> reader.read(checkpoint, theta));
        } catch (RuntimeException e) {
            try {
                engine.accept(batch, windows);
            } catch (RuntimeException earlier) {
                earlier.addSuppressed(e);
                throw earlier;
            }
            throw e;
        }
    }

    /** Writes each window as it comes and remembers the count and the last one. */
    private static final class Windows implements Consumer<WindowSpectrum> {
        private final SpectrumCsv.Writer writer;
        private int count;
        private WindowSpectrum last;

        Windows(SpectrumCsv.Writer writer) {
            this.writer = writer;
        }

        @Override
        public void accept(WindowSpectrum window) {
            writer.append(window);
            last = window;
            count++;
        }
    }
}
