package dev.sedge.cli;

import picocli.CommandLine.Command;

/** {@code sedge config}: configurations to start from. */
@Command(name = "config",
        header = "Print a complete experiment configuration to start from (sedge config default).",
        subcommands = ConfigDefaultCommand.class)
final class ConfigCommand extends CommandGroup {
}
