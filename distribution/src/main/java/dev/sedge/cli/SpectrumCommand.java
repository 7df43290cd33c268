package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.spectral.SketchTransform;
import dev.sedge.spectral.SpectralOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge spectrum PATH}: the rolling-window spectrum of a stored trajectory. */
@Command(name = "spectrum",
        header = "Compute the spectrum of a stored trajectory into spectrum.csv.",
        description = {"PATH is a run directory (its checkpoints/) or a folder of checkpoints in any supported",
            "format (safetensors, .npz/.npy, PyTorch .pt, ONNX; see `sedge plugins`), ordered by the step",
            "number in each file name. One row per window: step, sigma_1..W (singular values of the W x p",
            "update matrix), lambda_1..W (eigenvalues of its Gram matrix), ratio_1..W-1, kstar,",
            "kstar_weighted, g23, then rotation, BBP, stability and adiabatic columns."})
final class SpectrumCommand implements Callable<Integer> {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A run directory or a folder of checkpoints.")
    private Path source;

    @Option(names = "--group", paramLabel = "GLOB",
            description = "Tensors to take: a glob over names (* any run, ? one character; comma-separated "
                    + "alternatives), or a parameter group of a run directory. Default: a run directory's own "
                    + "spectrum.group (run.json), else *.")
    private String group;

    @Option(names = "--window", paramLabel = "W",
            description = "Updates per window. Default: a run directory's own spectrum.window, else 20.")
    private Integer window;

    @Option(names = "--stride", paramLabel = "S",
            description = "A window every S updates. Default: a run directory's own spectrum.stride, else 1.")
    private Integer stride;

    @Option(names = "--centered", negatable = true,
            description = "Subtract the window mean from each update first. Default: a run directory's own "
                    + "spectrum.centered, else not.")
    private Boolean centered;

    @Option(names = "--force", description = "Replace the output file if it exists (default: refuse).")
    private boolean force;

    @Option(names = "--sketch", paramLabel = "D", defaultValue = "0",
            description = "Johnson-Lindenstrauss sketch dimension (0: exact; the trajectory paper uses 10W; docs/science.md).")
    private int sketch;

    @Option(names = "--sketch-seed", paramLabel = "N", defaultValue = "0", description = "Seed of the sketch.")
    private long sketchSeed;

    @Option(names = "--sketch-transform", paramLabel = "T",
            description = "The sketch's projection: srht (subsampled randomized Hadamard, O(p log p) per update; the "
                    + "default) or gaussian (dense Gaussian, O(D p), the trajectory paper's). Same measured errors; "
                    + "docs/benchmarks.md.")
    private String sketchTransform;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the Gram kernel (default: all cores).")
    private Integer threads;

    @Option(names = "--digest", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record each checkpoint's SHA-256 in the provenance (default). --no-digest skips it: hashing"
                    + " runs at about 1.3 GB/s on one core, slower than the spectrum of a trajectory of many GB"
                    + " (docs/scale.md).")
    private boolean digest;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write spectrum.csv (default: in the run directory or checkpoint folder; an "
                    + "existing file is replaced only with --force).")
    private Path out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CheckpointFormats formats = CheckpointFormats.of(root.registry(err));
        String chosenGroup;
        SpectralOptions options;
        OwnSpectrum own = OwnSpectrum.of(source);
        try {
            chosenGroup = group != null ? group : own.group();
            options = new SpectralOptions(window != null ? window : own.window(), stride != null ? stride : own.stride(),
                    centered != null ? centered : own.centered(),
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(), sketch, sketchSeed,
                    sketchTransform != null ? SketchTransform.parse(sketchTransform) : SketchTransform.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (own.recorded()) {
            err.printf("spectrum: group %s, W = %d, stride %d%s (the run's own unless given)%n", chosenGroup,
                    options.window(), options.stride(), options.centered() ? ", centered" : "");
        }
        SpectrumJob.Result result = new SpectrumJob(formats).run(
                new SpectrumJob.Request(source, chosenGroup, options, out, force, digest), ProgressBar.on(err, "spectrum"));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(root.json() ? SpectrumReport.json(result, options) : SpectrumReport.text(result, options));
        return Main.OK;
    }
}
