package dev.sedge.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge config}: configurations to start from. */
@Command(name = "config",
        header = "Print a complete experiment configuration to start from (sedge config default).",
        subcommands = ConfigDefaultCommand.class)
final class ConfigCommand implements Runnable {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    SedgeCommand root() {
        return root;
    }
}
