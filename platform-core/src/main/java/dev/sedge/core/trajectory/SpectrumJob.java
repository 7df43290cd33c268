package dev.sedge.core.trajectory;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.Provenance;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.StoredFloats;
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
import dev.sedge.spectral.StreamingSpectralEngine;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Computes the spectrum of a stored trajectory: a run directory (its {@code checkpoints/}) or any
 * folder of checkpoints, in step order; every window is written to a {@code spectrum.csv}
 * (atomically: nothing is left behind on failure). The windows are those of feeding the updates one
 * by one to a {@link dev.sedge.spectral.SpectralEngine}, bit for bit, and the first error in file
 * order is the one reported.
 *
 * <p>Two ways in, the same bits out. Where the first checkpoint holds the group as float32 ready to use
 * ({@link Checkpoint#floats}: safetensors, uncompressed .npy/.npz, PyTorch files), the checkpoints are
 * streamed from their files ({@link StreamingSpectralEngine}): the heap holds no snapshot, so a group of
 * any size is bounded by the disk, not the heap ({@code docs/scale.md}). Otherwise (other dtypes,
 * compressed files, a sketch) each checkpoint's group is copied once into a {@link SnapshotBatch} and
 * goes through a {@link SnapshotSpectralEngine}, which keeps W + stride snapshots and one batch of B on
 * the heap, 4·(W + stride + B)·p bytes. Threads: the calling thread, and up to
 * {@code options.threads()} in the engines' passes; the provenance's SHA-256 digests are computed on
 * one more thread while the job runs.
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
     * @param digest  whether the provenance records each checkpoint's SHA-256 (one core hashes about
     *                1.3 GB/s, so for trajectories of many GB the digests take longer than the spectrum);
     *                if not, it records {@code spectrum.digest = none} and no inputs
     */
    public record Request(Path source, String group, SpectralOptions options, Path out, boolean replace,
                          boolean digest) {

        /** A request whose provenance digests every checkpoint. */
        public Request(Path source, String group, SpectralOptions options, Path out, boolean replace) {
            this(source, group, options, out, replace, true);
        }

        /** A request that never replaces an existing file and digests every checkpoint. */
        public Request(Path source, String group, SpectralOptions options, Path out) {
            this(source, group, options, out, false, true);
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
     * @param streamed    whether the group was streamed from the files ({@link StreamingSpectralEngine}) rather
     *                    than copied onto the heap
     * @param groupBytes  the bytes of the group the checkpoints hold, all of them: what was read
     * @param seconds     from the first checkpoint read to the last window written (and the digests taken)
     */
    public record Result(Path out, int checkpoints, int windows, int dimension, List<String> tensors,
                         Optional<WindowSpectrum> last, boolean streamed, long groupBytes, double seconds) {
        public Result {
            tensors = List.copyOf(tensors);
        }

        /** The group's bytes read per second of the job. */
        public double bytesPerSecond() {
            return groupBytes / seconds;
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
        SpectralOptions options = request.options();
        GroupReader reader;
        boolean streamed;
        try (Checkpoint first = formats.open(files.getFirst().file())) {
            reader = GroupReader.of(first, group);
            streamed = !options.sketched() && reader.pieces(first).isPresent();
        }
        int p = reader.dimension();
        long started = System.nanoTime();
        Windows windows;
        Map<String, String> digests;
        try (SpectrumCsv.Writer writer = SpectrumCsv.open(out, options.window());
             Feed feed = streamed ? new Streamed(reader, options) : new OnHeap(reader, options);
             InputDigests.Background digesting = new InputDigests.Background()) {
            windows = new Windows(writer);
            try {
                for (int i = 0; i < files.size(); i++) {
                    StepFile file = files.get(i);
                    progress.update(i, files.size(), "step " + file.step());
                    feed.add(file, windows);
                    if (request.digest()) {
                        digesting.submit(file.file());
                    }
                    if (feed.isFull()) {
                        feed.pass(windows);
                    }
                }
                feed.pass(windows);
                digests = digesting.await(source);
                progress.update(files.size(), files.size(), "done");
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
        }
        SpectrumProvenance.write(out, provenance(request, source, files, digests));
        double seconds = (System.nanoTime() - started) / 1e9;
        long groupBytes = files.size() * reader.tensors().stream().mapToLong(t -> t.dtype().byteCount(t.elementCount())).sum();
        return new Result(out, files.size(), windows.count, p,
                reader.tensors().stream().map(TensorInfo::name).toList(), Optional.ofNullable(windows.last), streamed,
                groupBytes, seconds);
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
        config.put("spectrum.sketch-transform", options.sketched() ? options.sketchTransform().label() : "none");
        config.put("spectrum.digest", request.digest() ? "sha256" : "none");
        return Provenance.now(SedgeVersion.current(), plugins, config,
                options.sketchDimension() > 0 ? options.sketchSeed() : 0, digests);
    }

    /**
     * Where the checkpoints go: batches of snapshots, each full batch one engine pass. If a checkpoint cannot
     * be read, {@link #add} first passes the ones before it, so that an error among them (NaN …) is the one
     * reported: errors come in file order, as when every checkpoint was taken on its own.
     */
    private sealed interface Feed extends AutoCloseable {

        void add(StepFile file, Windows windows);

        boolean isFull();

        /** Takes the batch; an empty batch does nothing. */
        void pass(Windows windows);

        @Override
        void close();
    }

    /** Each checkpoint's group copied onto the heap ({@link SnapshotSpectralEngine}): any format, and sketches. */
    private final class OnHeap implements Feed {
        private final GroupReader reader;
        private final SnapshotSpectralEngine engine;
        private final SnapshotBatch batch;

        OnHeap(GroupReader reader, SpectralOptions options) {
            this.reader = reader;
            int p = reader.dimension();
            this.engine = new SnapshotSpectralEngine(options, p,
                    batchSize > 0 ? batchSize : SnapshotSpectralEngine.defaultBatchSize(options, p));
            this.batch = engine.newBatch();
        }

        @Override
        public void add(StepFile file, Windows windows) {
            try (Checkpoint checkpoint = formats.open(file.file())) {
                batch.add(file.step(), Double.NaN, "checkpoint " + file.file(), theta -> reader.read(checkpoint, theta));
            } catch (RuntimeException e) {
                throw passedFirst(this, windows, e);
            }
        }

        @Override
        public boolean isFull() {
            return batch.isFull();
        }

        @Override
        public void pass(Windows windows) {
            engine.accept(batch, windows);
        }

        @Override
        public void close() {
        }
    }

    /**
     * Each checkpoint streamed from its file ({@link StreamingSpectralEngine}): the group's tensors are read where
     * the file holds them, a few tens of KB at a time, so the heap holds no snapshot and p·W is bounded by
     * the disk, not the heap. A checkpoint whose group needs converting (another dtype) is read onto the
     * heap instead.
     */
    private final class Streamed implements Feed {
        private final GroupReader reader;
        private final StreamingSpectralEngine engine;
        private List<StreamingSpectralEngine.Snapshot> batch = new ArrayList<>();

        Streamed(GroupReader reader, SpectralOptions options) {
            this.reader = reader;
            this.engine = new StreamingSpectralEngine(options, reader.pieceLengths(),
                    batchSize > 0 ? batchSize : StreamingSpectralEngine.defaultBatchSize(options));
        }

        @Override
        public void add(StepFile file, Windows windows) {
            String origin = "checkpoint " + file.file();
            try (Checkpoint checkpoint = formats.open(file.file())) {
                Optional<List<StoredFloats>> stored = reader.pieces(checkpoint);
                if (stored.isPresent()) {
                    FileChannel channel = open(checkpoint.file());
                    List<StreamingSpectralEngine.Piece> pieces = stored.get().stream()
                            .<StreamingSpectralEngine.Piece>map(s -> new StreamingSpectralEngine.Piece.InFile(channel,
                                    s.offset(), s.file()))
                            .toList();
                    batch.add(new StreamingSpectralEngine.Snapshot(file.step(), Double.NaN, origin, pieces,
                            () -> close(channel)));
                } else {
                    float[] theta = new float[reader.dimension()];
                    reader.read(checkpoint, theta);
                    List<StreamingSpectralEngine.Piece> pieces = new ArrayList<>();
                    long at = 0;
                    for (long length : reader.pieceLengths()) {
                        pieces.add(new StreamingSpectralEngine.Piece.InArray(theta, (int) at));
                        at += length;
                    }
                    batch.add(new StreamingSpectralEngine.Snapshot(file.step(), Double.NaN, origin, pieces, () -> { }));
                }
            } catch (RuntimeException e) {
                throw passedFirst(this, windows, e);
            }
        }

        @Override
        public boolean isFull() {
            return batch.size() == engine.batchSize();
        }

        @Override
        public void pass(Windows windows) {
            List<StreamingSpectralEngine.Snapshot> taken = batch;
            batch = new ArrayList<>();
            engine.accept(taken, windows);
        }

        @Override
        public void close() {
            batch.forEach(s -> s.release().run());
            batch.clear();
            engine.close();
        }

        private static FileChannel open(Path file) {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new DataFormatException(file + ": cannot read the file: " + e.getMessage(), e);
            }
        }

        private static void close(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
        }
    }

    /** {@code e}, after the checkpoints already in the feed's batch were passed (an error of theirs wins). */
    private static RuntimeException passedFirst(Feed feed, Windows windows, RuntimeException e) {
        try {
            feed.pass(windows);
        } catch (RuntimeException earlier) {
            earlier.addSuppressed(e);
            return earlier;
        }
        return e;
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
