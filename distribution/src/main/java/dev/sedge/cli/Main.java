package dev.sedge.cli;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.PluginException;
import dev.sedge.core.io.WriteFailure;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code sedge}. The only place that calls {@link System#exit}, and the only
 * place that turns a failure into an exit code ({@link #exitCode}).
 *
 * <p>Exit codes: 0 ok, 2 usage or configuration, 3 plugin, 4 input data, 5 numeric, 6 file system
 * (disk full, permission), 1 internal error (a bug: the stack trace is printed).
 */
public final class Main {

    /** Success. */
    public static final int OK = 0;
    /** A bug in sedge: a failure that is none of the kinds below (a plugin's own is {@link #PLUGIN}). */
    public static final int INTERNAL = 1;
    /** Bad command line or configuration, including an unknown plugin name. */
    public static final int USAGE = 2;
    /** A plugin that exists but cannot be used: failed to load, refused, or threw. */
    public static final int PLUGIN = 3;
    /** Input data that cannot be read: a run directory, checkpoint or model file. */
    public static final int DATA = 4;
    /** A numeric failure: non-finite values, a decomposition that did not converge. */
    public static final int NUMERIC = 5;
    /** The file system refused: a disk full, a permission denied, a folder that cannot be made. */
    public static final int IO = 6;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, writer(System.out), writer(System.err), System.getenv());
        System.exit(code);
    }

    /**
     * Runs one command line. Output goes to {@code out}, messages and logs to {@code err}; both
     * are flushed before this returns.
     *
     * @param env the process environment ({@code SEDGE_PLUGINS} …); not modified
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine commandLine = commandLine(env);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The whole command tree, with the error handling of {@link #run}. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new SedgeCommand(env));
        reflow(commandLine);
        commandLine.setParameterExceptionHandler((e, args) -> usageError(e));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> failure(e, cmd.getErr()));
        return commandLine;
    }

    /**
     * Lets picocli wrap the help: the commands' descriptions are written as source lines, so each run
     * of them becomes one paragraph, which picocli fills to the help's width. A line that is empty,
     * indented (an example) or follows a line ending in ':' starts a new one. Whole tree.
     */
    private static void reflow(CommandLine command) {
        var usage = command.getCommandSpec().usageMessage();
        List<String> paragraphs = new ArrayList<>();
        for (String line : usage.description()) {
            boolean fresh = paragraphs.isEmpty() || line.isEmpty() || line.startsWith(" ")
                    || paragraphs.getLast().isEmpty() || paragraphs.getLast().startsWith(" ");
            if (fresh) {
                paragraphs.add(line);
            } else {
                paragraphs.set(paragraphs.size() - 1, paragraphs.getLast() + " " + line);
            }
        }
        usage.description(paragraphs.toArray(String[]::new));
        command.getSubcommands().values().forEach(Main::reflow);
    }

    /** The one mapping from failure to exit code. */
    static int exitCode(Throwable failure) {
        return switch (failure) {
            case ParameterException e -> USAGE;
            case ConfigException e -> USAGE;
            case PluginException e -> PLUGIN;
            case DataFormatException e -> DATA;
            case NumericException e -> NUMERIC;
            case UncheckedIOException e -> IO;
            default -> INTERNAL;
        };
    }

    private static int usageError(ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("sedge: " + usageMessage(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return exitCode(e);
    }

    /**
     * picocli's message, except for a word where a command with subcommands and no positionals
     * expects a command: that is an unknown command, named as such with the commands there are.
     */
    private static String usageMessage(ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().getFirst().startsWith("-") && !cmd.getSubcommands().isEmpty()
                && cmd.getCommandSpec().positionalParameters().isEmpty()) {
            return "unknown command '" + u.getUnmatched().getFirst() + "'; the commands of '"
                    + cmd.getCommandSpec().qualifiedName() + "' are " + String.join(", ", cmd.getSubcommands().keySet());
        }
        return e.getMessage();
    }

    private static int failure(Exception e, PrintWriter err) {
        int code = exitCode(e);
        if (code == INTERNAL) {
            err.println("sedge: internal error: " + e + ". This is a bug; please report it with the trace below.");
            e.printStackTrace(err);
        } else {
            err.println("sedge: " + e.getMessage() + (code == IO && !(e instanceof WriteFailure) ? ". Free space or fix"
                    + " the permissions, then run the command again (sedge replaces a file whole or not at all)" : ""));
        }
        return code;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
    }
}
