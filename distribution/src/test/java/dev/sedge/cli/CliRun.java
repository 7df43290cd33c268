package dev.sedge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One in-process run of {@code sedge}, its plugins folder under the test's temporary folder so
 * that {@code ~/.sedge/plugins} never leaks in.
 *
 * @param code the exit code
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
record CliRun(int code, String out, String err) {

    static CliRun of(Path temp, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
                Map.of("SEDGE_PLUGINS", temp.resolve("plugins").toString()));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun of(Path temp, String... args) {
        return of(temp, List.of(args));
    }
}
