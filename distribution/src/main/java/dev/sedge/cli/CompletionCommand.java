package dev.sedge.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sedge completion}: a bash (and zsh) completion script for the whole command tree. */
@Command(name = "completion",
        header = "Print a bash/zsh completion script.",
        description = {"Load it in the current shell with:", "  source <(sedge completion)",
            "or install it, e.g.:", "  sedge completion > /etc/bash_completion.d/sedge"})
final class CompletionCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        CommandSpec root = spec.root();
        spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
    }
}
