package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.detect.DetectJob;
import dev.sedge.core.detect.DetectorChoice;
import dev.sedge.spectral.SpectralOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge detect RUN --detector NAME}: run detectors over a run's spectrum. */
@Command(name = "detect",
        header = "Run edge detectors over a run's spectrum; events go to events.json.",
        description = {"Reads RUN/spectrum.csv (computing it from RUN/checkpoints first when it is missing, with",
            "the spectrum options below) and RUN/metrics.csv, feeds every window with the latest metrics",
            "to each detector, and writes RUN/events.json (other detectors' entries are kept).",
            "Detectors and their keys: `sedge plugins show NAME`."})
final class DetectCommand implements Callable<Integer> {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run directory.")
    private Path run;

    @Option(names = {"-d", "--detector"}, paramLabel = "NAME", required = true,
            description = "A detector to run (repeatable).")
    private List<String> detectors;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A detector setting, detector.NAME.KEY=VALUE (repeatable).")
    private List<String> settings = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GLOB",
            description = "When the spectrum must be computed: the tensors (glob or run.json group). Default: the run's"
                    + " own spectrum.group (run.json), else *.")
    private String group;

    @Option(names = "--window", paramLabel = "W",
            description = "When the spectrum must be computed: updates per window. Default: the run's own, else 20.")
    private Integer window;

    @Option(names = "--centered", negatable = true,
            description = "When the spectrum must be computed: center each window. Default: the run's own, else not.")
    private Boolean centered;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<DetectorChoice> choices = new ArrayList<>();
        for (String name : detectors) {
            List<String> own = settings.stream().filter(s -> s.startsWith("detector." + name + ".")).toList();
            choices.add(DetectorChoice.parse(name, own));
        }
        for (String setting : settings) {
            if (detectors.stream().noneMatch(name -> setting.startsWith("detector." + name + "."))) {
                throw new ConfigException("--set " + setting + " names no chosen detector; write detector.NAME.KEY=VALUE "
                        + "with NAME one of " + detectors);
            }
        }
        OwnSpectrum own = OwnSpectrum.of(run);
        String chosenGroup = group != null ? group : own.group();
        SpectralOptions options;
        try {
            options = SpectralOptions.of(window != null ? window : own.window()).withStride(own.stride())
                    .withCentering(centered != null ? centered : own.centered());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        DetectJob.Result result = new DetectJob(root.registry(err)).run(
                new DetectJob.Request(run, choices, chosenGroup, options), ProgressBar.on(err, "detect"));
        spec.commandLine().getOut().print(root.json() ? DetectReport.json(result) : DetectReport.text(result));
        return Main.OK;
    }
}
