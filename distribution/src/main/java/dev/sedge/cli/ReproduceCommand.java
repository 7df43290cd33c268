package dev.sedge.cli;

import picocli.CommandLine.Command;

/** {@code sedge reproduce PROTOCOL}: the published experiments as built-in sweeps. */
@Command(name = "reproduce",
        header = "Reproduce a published result as a built-in sweep and print its numbers next to the paper's.",
        description = {"Protocols: lock-in (Feature Repulsion paper: the eigengap-slope detector on x^2 and ReLU);",
            "g23 (Thesis replication: the g23 decline of the p = 97 transformer, with and without weight decay);",
            "functional-modes (Functional Modes paper: what the edge of the p = 97 transformer computes);",
            "lifecycle (Lifecycle paper: the gap-flow class of Dyck-1 and of addition, and what the Dyck edge does).",
            "Protocols, numbers and how long they take: docs/reproductions.md."},
        subcommands = {ReproduceLockInCommand.class, ReproduceG23Command.class,
            ReproduceFunctionalModesCommand.class, ReproduceLifecycleCommand.class})
final class ReproduceCommand extends CommandGroup {
}
