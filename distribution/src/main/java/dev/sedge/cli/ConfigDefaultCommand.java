package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigDocument;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge config default [EXPERIMENT]}: a complete, commented config file on stdout. */
@Command(name = "default",
        header = "Print a complete config file: every key with its value, meaning and default.",
        description = {"With no EXPERIMENT, the default experiment (lock-in, what `sedge train` runs); else a",
            "CONFIG file laid over it, with every key the plugins it names take. Keys starting with // are",
            "comments that sedge skips, so the output is a config file as it stands:",
            "  sedge config default > my.json && sedge train my.json"})
final class ConfigDefaultCommand implements Runnable {

    /** The built-in experiment's name. */
    static final String LOCK_IN = "lock-in";

    @ParentCommand
    private ConfigCommand config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "EXPERIMENT", arity = "0..1",
            description = "'" + LOCK_IN + "' (the default) or a CONFIG file to complete.")
    private String experiment;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key first (repeatable), as in sedge train.")
    private List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
        ConfigSource source = experiment == null || experiment.equals(LOCK_IN) ? ConfigSource.defaults()
                : ConfigSource.experiment(file(experiment));
        Experiment resolved = Experiment.resolve(source.with(overrides),
                config.root().registry(spec.commandLine().getErr()));
        spec.commandLine().getOut().print(ConfigDocument.of(resolved));
    }

    private static Path file(String name) {
        Path path = Path.of(name);
        if (!Files.exists(path)) {
            throw new ConfigException("no built-in experiment or config file '" + name + "'; built-in: " + LOCK_IN);
        }
        return path;
    }
}
