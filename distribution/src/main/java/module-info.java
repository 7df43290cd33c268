/** The {@code sedge} command. */
module dev.sedge.cli {
    requires dev.sedge.core;
    requires info.picocli;

    opens dev.sedge.cli to info.picocli;
}
