package dev.sedge.cli;

import dev.sedge.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge plugins}: every plugin sedge can use, built-in and third-party. */
@Command(name = "plugins",
        header = "List the plugins: tasks, architectures, optimizers, bases, detectors, formats.",
        description = {"Lists every plugin with its kind, name, version, location (module or jar) and summary.",
            "A plugin jar that cannot be loaded is reported on stderr, one line each; the rest are listed",
            "and the exit code stays 0."},
        subcommands = PluginsShowCommand.class)
final class PluginsCommand implements Runnable {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = registry();
        if (root.json()) {
            out.print(PluginsJson.render(registry.entries(), registry.problems(), registry.pluginsFolder()));
        } else {
            out.print(PluginTable.render(registry.entries(), registry.pluginsFolder()));
        }
    }

    SedgeCommand root() {
        return root;
    }

    PluginRegistry registry() {
        return root.registry(spec.commandLine().getErr());
    }
}
