package dev.sedge.core.trajectory;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.Progress;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.spectral.SnapshotDifferencer;
import dev.sedge.core.spectral.SpectralEngine;
import dev.sedge.core.spectral.SpectralOptions;
import dev.sedge.core.spectral.SpectrumCsv;
import dev.sedge.core.spectral.WindowSpectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes the spectrum of a stored trajectory: a run directory (its {@code checkpoints/}) or any
 * folder of checkpoints, in step order; the chosen group is read from each checkpoint once,
 * differenced into updates, streamed through a {@link SpectralEngine}, and every window is
 * written to a {@code spectrum.csv} (atomically: nothing is left behind on failure).
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
     */
    public record Request(Path source, String group, SpectralOptions options, Path out) {
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

    public SpectrumJob(CheckpointFormats formats) {
        this.formats = formats;
    }

    /**
     * Runs the job.
     *
     * @throws DataFormatException for a source that is not a folder, holds fewer than two
     *         checkpoints, or a checkpoint that cannot be read or does not match the first
     * @throws NumericException    for NaN or infinity in a checkpoint, naming the file
     */
    public Result run(Request request, Progress progress) {
        Path source = request.source();
        boolean isRun = RunLayout.isRun(source);
        Path folder = isRun ? new RunLayout(source).checkpoints() : source;
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(isRun ? "run directory " + source + " has no checkpoints/ folder"
                    : source + " is neither a run directory nor a folder of checkpoints");
        }
        List<StepFile> files = StepFile.list(folder, formats);
        if (files.size() < 2) {
            throw new DataFormatException(folder + " holds " + files.size() + " checkpoint(s) in a known format; "
                    + "a spectrum needs at least 2 (W + 1 for one full window of W = "
                    + request.options().window() + ")");
        }
        NameGlob group = groupOf(source, isRun, request.group());
        Path out = request.out() != null ? request.out()
                : (isRun ? new RunLayout(source).spectrum() : folder.resolve("spectrum.csv"));
        GroupReader reader;
        try (Checkpoint first = formats.open(files.getFirst().file())) {
            reader = GroupReader.of(first, group);
        }
        int p = reader.dimension();
        SpectralEngine engine = new SpectralEngine(request.options(), p);
        SnapshotDifferencer differencer = new SnapshotDifferencer(p);
        float[] theta = new float[p];
        int windows = 0;
        WindowSpectrum last = null;
        try (SpectrumCsv.Writer writer = SpectrumCsv.open(out, request.options().window())) {
            try {
                for (int i = 0; i < files.size(); i++) {
                    StepFile file = files.get(i);
                    progress.update(i, files.size(), "step " + file.step());
                    try (Checkpoint checkpoint = formats.open(file.file())) {
                        reader.read(checkpoint, theta);
                    }
                    Optional<float[]> update = accept(differencer, file, theta);
                    if (update.isPresent()) {
                        Optional<WindowSpectrum> window = engine.accept(file.step(), update.get());
                        if (window.isPresent()) {
                            writer.append(window.get());
                            last = window.get();
                            windows++;
                        }
                    }
                }
                progress.update(files.size(), files.size(), "done");
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
        }
        return new Result(out, files.size(), windows, p,
                reader.tensors().stream().map(TensorInfo::name).toList(), Optional.ofNullable(last));
    }

    private static Optional<float[]> accept(SnapshotDifferencer differencer, StepFile file, float[] theta) {
        try {
            return differencer.accept(file.step(), theta);
        } catch (NumericException e) {
            throw new NumericException(e.getMessage() + " (in checkpoint " + file.file() + ")", e);
        }
    }

    /** A run directory's group name (from run.json) becomes the list of its tensors; anything else is a glob. */
    private static NameGlob groupOf(Path source, boolean isRun, String group) {
        if (isRun) {
            List<LayoutEntry> layout = ManifestFile.read(new RunLayout(source).manifest()).layout();
            String members = layout.stream().filter(e -> e.group().equals(group)).map(LayoutEntry::name)
                    .collect(Collectors.joining(","));
            if (!members.isEmpty()) {
                return new NameGlob(members);
            }
        }
        return new NameGlob(group);
    }
}
