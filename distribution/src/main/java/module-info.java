/**
 * The {@code sedge} command: parses the command line, calls the core, renders the result as text
 * or JSON, and maps failures to the documented exit codes ({@link dev.sedge.cli.Main}).
 */
module dev.sedge.cli {
    requires dev.sedge.core;
    requires dev.sedge.train;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;

    opens dev.sedge.cli to info.picocli;
}
