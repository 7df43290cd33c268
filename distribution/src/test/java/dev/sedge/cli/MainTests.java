package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.NumericException;
import dev.sedge.api.PluginException;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.io.WriteFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;


    private CliRun sedge(String... args) {
        return CliRun.of(temp, args);
    }

    @Test
    void versionNamesSedgeAndItsVersionOnStdout() {
        CliRun run = sedge("--version");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("sedge " + SedgeVersion.current() + "\n"), run.out());
        assertTrue(run.out().contains("Java " + Runtime.version().feature()), run.out());
        assertEquals("", run.err());
    }

    @Test
    void helpGoesToStdoutAndListsTheCommandsAndExitCodes() {
        CliRun run = sedge("--help");
        assertEquals(Main.OK, run.code());
        assertTrue(run.out().contains("plugins"), run.out());
        assertTrue(run.out().contains("completion"), run.out());
        assertTrue(run.out().contains("2 usage or configuration"), run.out());
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        List<String> paths = new ArrayList<>();
        collect(Main.commandLine(Map.of()), "", paths);
        assertTrue(paths.contains("plugins show"), paths.toString());
        for (String path : paths) {
            for (String flag : List.of("--help", "--version")) {
                List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
                args.add(flag);
                CliRun run = sedge(args.toArray(String[]::new));
                assertEquals(Main.OK, run.code(), "sedge " + args + ": " + run.err());
                assertFalse(run.out().isBlank(), "sedge " + args + " printed nothing");
            }
        }
    }

    /** picocli formats help text: a bare % (grad% on v_1) makes it warn on stderr and print the text raw. */
    @Test
    void everyHelpTextIsAFormatPicocliCanRender() {
        List<CommandLine> commands = new ArrayList<>();
        gather(Main.commandLine(Map.of()), commands);
        for (CommandLine command : commands) {
            var usage = command.getCommandSpec().usageMessage();
            for (String line : Stream.of(usage.header(), usage.description(), usage.footer()).flatMap(Arrays::stream)
                    .toList()) {
                try {
                    String.format(line);
                } catch (IllegalFormatException e) {
                    throw new AssertionError("sedge " + command.getCommandName() + ": '" + line + "': " + e, e);
                }
            }
        }
    }

    private static void gather(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> gather(sub, all));
    }

    private static void collect(CommandLine command, String path, List<String> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> collect(sub, (path + " " + name).strip(), paths));
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        CliRun run = sedge("plugin");
        assertEquals(Main.USAGE, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("sedge: unknown command 'plugin'; the commands of 'sedge' are train, "), run.err());
        assertFalse(run.err().contains("Unmatched argument"), run.err());
        assertTrue(run.err().contains("plugins"), "suggests the near name: " + run.err());
        assertTrue(run.err().contains("sedge --help"), run.err());
    }

    @Test
    void anUnknownSubcommandIsNamedAsSuch() {
        CliRun run = sedge("config", "defualt");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().startsWith("sedge: unknown command 'defualt'; the commands of 'sedge config' are default"),
                run.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = sedge("plugins", "--no-such-option");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("--no-such-option"), run.err());
        assertTrue(run.err().contains("sedge plugins --help"), run.err());
    }

    @Test
    void showingAnUnknownPluginIsAUsageErrorThatListsTheKnownOnes() {
        CliRun run = sedge("plugins", "show", "no-such");
        assertEquals(Main.USAGE, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("sedge: no plugin named 'no-such'; known plugins: "), run.err());
        assertTrue(run.err().contains(temp.resolve("plugins").toString()), "names the plugins folder: " + run.err());
    }

    @Test
    void pluginsJsonIsOneJsonDocumentOnStdout() throws IOException {
        CliRun run = sedge("plugins", "--json");
        assertEquals(Main.OK, run.code(), run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals(JsonOutput.FORMAT_VERSION, root.path("format_version").asInt());
        assertTrue(root.path("plugins").isArray());
        assertTrue(root.path("problems").isArray());
        assertEquals(0, root.path("problems").size());
        for (JsonNode plugin : root.path("plugins")) {
            for (String field : List.of("kind", "name", "version", "location", "summary")) {
                assertTrue(plugin.path(field).isTextual(), field + " in " + plugin);
            }
            assertTrue(plugin.path("built_in").asBoolean(), plugin.toString());
            assertTrue(plugin.path("api_level").asInt() >= 1, plugin.toString());
            for (JsonNode key : plugin.path("keys")) {
                for (String field : List.of("name", "type", "default", "meaning")) {
                    assertTrue(key.path(field).isTextual(), field + " in " + key);
                }
            }
        }
    }

    @Test
    void jsonIsAcceptedBeforeTheCommandToo() throws IOException {
        CliRun run = sedge("--json", "plugins");
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(JsonOutput.FORMAT_VERSION, JSON.readTree(run.out()).path("format_version").asInt());
    }

    @Test
    void showJsonHasTheSameSchemaAsTheList() throws IOException {
        JsonNode list = JSON.readTree(sedge("plugins", "--json").out());
        for (JsonNode plugin : list.path("plugins")) {
            CliRun run = sedge("plugins", "show", plugin.path("name").asText(), "--json");
            assertEquals(Main.OK, run.code(), run.err());
            JsonNode shown = JSON.readTree(run.out()).path("plugins");
            assertTrue(contains(shown, plugin), plugin + " not in " + shown);
        }
    }

    private static boolean contains(JsonNode array, JsonNode element) {
        for (JsonNode node : array) {
            if (node.equals(element)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aBrokenPluginJarIsOneLineOnStderrAndTheRestStillWorks() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path broken = Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});
        CliRun run = sedge("plugins", "--json");
        assertEquals(Main.OK, run.code(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.getFirst().startsWith("sedge: plugin " + broken + " skipped: "), run.err());
        JsonNode problems = JSON.readTree(run.out()).path("problems");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(broken.toString(), problems.get(0).path("source").asText());
    }

    @Test
    void pluginsTextHasAHeaderAndNamesThePluginsFolder() {
        CliRun run = sedge("--plugins", temp.resolve("elsewhere").toString(), "plugins");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("KIND"), run.out());
        assertTrue(run.out().contains("third-party plugins folder: " + temp.resolve("elsewhere")
                + " (does not exist)"), run.out());
        assertTrue(run.err().contains("--plugins " + temp.resolve("elsewhere") + " is not a folder"),
                "a mistyped --plugins is said: " + run.err());
    }

    @Test
    void completionPrintsABashScriptForTheWholeTree() {
        CliRun run = sedge("completion");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.out().contains("complete -F"), run.out());
        assertTrue(run.out().contains("show"), "covers subcommands of subcommands");
    }

    @Test
    void eachFailureTypeHasItsExitCode() {
        assertEquals(2, Main.exitCode(new ConfigException("x")));
        assertEquals(3, Main.exitCode(new PluginException("x")));
        assertEquals(4, Main.exitCode(new DataFormatException("x")));
        assertEquals(5, Main.exitCode(new NumericException("x")));
        assertEquals(1, Main.exitCode(new IllegalStateException("x")));
        assertEquals(6, Main.exitCode(new UncheckedIOException(new IOException("x"))), "a full disk is no bug");
        assertEquals(6, Main.exitCode(new WriteFailure("x; free space, then y",
                new IOException("No space left on device"))));
    }
}
