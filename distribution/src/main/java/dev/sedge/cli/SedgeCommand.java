package dev.sedge.cli;

import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.plugin.PluginsFolder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Holds the options every subcommand inherits and the plugin registry, loaded
 * at most once per invocation and only by the commands that need it.
 */
@Command(name = "sedge",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Watch how a neural network learns: the spectral edge of its training trajectory.",
        description = {"", "Exit codes: 0 ok, 2 usage or configuration, 3 plugin, 4 input data, "
                + "5 numeric, 6 file system (disk full, permission), 1 internal error."},
        subcommands = {TrainCommand.class, ImportCommand.class, SpectrumCommand.class, DetectCommand.class,
            ExplainCommand.class, ReportCommand.class, RepulsionCommand.class, SweepCommand.class, ReproduceCommand.class,
            PluginsCommand.class, ConfigCommand.class, CompletionCommand.class})
final class SedgeCommand implements Runnable {

    private final Map<String, String> env;
    private PluginRegistry registry;

    @Spec
    private CommandSpec spec;

    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Folder of third-party plugin jars (default: $SEDGE_PLUGINS, else ~/.sedge/plugins).")
    private Path pluginsFolder;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print a machine-readable JSON result on stdout; messages stay on stderr.")
    private boolean json;

    SedgeCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** {@code sedge} alone: the usage, on stdout. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    boolean json() {
        return json;
    }

    /**
     * The plugin registry, loaded on first use from {@code --plugins}, {@code $SEDGE_PLUGINS} or
     * {@code ~/.sedge/plugins}. Each plugin that was skipped is reported as one line on
     * {@code err}; the rest works.
     */
    PluginRegistry registry(PrintWriter err) {
        if (registry == null) {
            String option = pluginsFolder == null ? null : pluginsFolder.toString();
            Path folder = PluginsFolder.resolve(option, env);
            if (option != null && !Files.isDirectory(folder)) {
                err.println("sedge: --plugins " + folder + " is not a folder; only the built-in plugins are loaded");
            }
            registry = PluginRegistry.load(folder);
            registry.problems().forEach(problem -> err.println("sedge: " + problem));
        }
        return registry;
    }
}
