package dev.sedge.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code sedge config}, {@code sedge reproduce}): alone it
 * prints its usage, and it hands its subcommands the root command's shared options.
 */
abstract class CommandGroup implements Runnable {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    /** The group alone: its usage, listing the subcommands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The root command: {@code --json}, {@code --plugins} and the plugin registry. */
    SedgeCommand root() {
        return root;
    }
}
