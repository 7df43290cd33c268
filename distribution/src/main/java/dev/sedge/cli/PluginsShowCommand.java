package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginEntry;
import dev.sedge.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge plugins show NAME}: one plugin in full, with its configuration keys and defaults. */
@Command(name = "show",
        header = "Show one plugin: summary, version, location, API level, configuration keys and defaults.",
        description = {"A name can exist under several kinds (a task and a basis, say): all are shown.",
            "An unknown name is a usage error (exit code 2), as it is in a configuration."})
final class PluginsShowCommand implements Runnable {

    @ParentCommand
    private PluginsCommand plugins;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The plugin's name, as `sedge plugins` lists it (e.g. mod-add).")
    private String name;

    @Override
    public void run() {
        PluginRegistry registry = plugins.registry();
        List<PluginEntry> found = registry.find(name);
        if (found.isEmpty()) {
            throw new ConfigException("no plugin named '" + name + "'; known plugins: "
                    + registry.entries().stream().map(PluginEntry::name).distinct().sorted()
                    .collect(Collectors.joining(", "))
                    + ". Third-party plugins are loaded from " + registry.pluginsFolder()
                    + " (--plugins DIR or $SEDGE_PLUGINS)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (plugins.root().json()) {
            out.print(PluginsJson.render(found, registry.problems(), registry.pluginsFolder()));
        } else {
            out.print(PluginDetails.render(found));
        }
    }
}
