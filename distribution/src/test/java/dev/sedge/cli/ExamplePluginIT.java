package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party plugin of {@code examples/plugin-example}, built the way its author would
 * (javac against the jars of the sedge image, nothing else), dropped into a plugins folder beside
 * a broken jar, and listed by the image's own {@code bin/sedge}.
 */
class ExamplePluginIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path image;
    private static Path plugins;
    private static Path exampleJar;
    private static Path brokenJar;
    private static Map<String, String> env;

    @BeforeAll
    static void buildTheExampleAndABrokenJar() throws Exception {
        image = Path.of(System.getProperty("sedge.image"));
        Path example = Path.of(System.getProperty("sedge.examples"), "plugin-example");
        plugins = Files.createDirectories(temp.resolve("plugins"));
        exampleJar = ExamplePluginJar.build(image, example, temp, plugins.resolve("cubes-plugin.jar"));
        brokenJar = Files.write(plugins.resolve("broken.jar"), "this is not a zip file".getBytes());
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
                "HOME", Files.createDirectories(temp.resolve("home")).toString(),
                "XDG_CACHE_HOME", temp.resolve("xdg").toString()));
    }

    private static ProcessRun sedge(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/sedge").toString()));
        command.addAll(List.of(args));
        return ProcessRun.of(command, env, temp, temp);
    }

    @Test
    void listsTheExampleTaskAndDetectorFromTheirJarAndReportsTheBrokenJarOnce() throws Exception {
        ProcessRun run = sedge("plugins", "--json", "--plugins", plugins.toString());

        assertEquals(0, run.code(), run.err());
        JsonNode root = JSON.readTree(run.out());
        Map<String, JsonNode> thirdParty = new HashMap<>();
        for (JsonNode plugin : root.get("plugins")) {
            if (!plugin.get("built_in").asBoolean()) {
                thirdParty.put(plugin.get("kind").asText() + "/" + plugin.get("name").asText(), plugin);
            }
        }
        assertEquals(java.util.Set.of("task/mod-cubes", "detector/gap-threshold"), thirdParty.keySet());
        for (JsonNode plugin : thirdParty.values()) {
            assertEquals(exampleJar.toString(), plugin.get("location").asText());
            assertEquals("unversioned", plugin.get("version").asText(), "javac was given no --module-version");
        }
        assertTrue(root.get("plugins").size() > thirdParty.size(), "the built-in plugins are still listed");

        assertEquals(1, root.get("problems").size(), root.get("problems").toString());
        assertEquals(brokenJar.toString(), root.get("problems").get(0).get("source").asText());
        List<String> errors = run.unexpectedErrors();
        assertEquals(1, errors.size(), "one line for the broken jar: " + errors);
        assertTrue(errors.getFirst().contains(brokenJar.toString()), errors.getFirst());
    }

    @Test
    void showsTheExampleTaskWithItsKeysAndJar() throws Exception {
        ProcessRun run = sedge("plugins", "show", "mod-cubes", "--plugins", plugins.toString());

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("(a^3 + b^3) mod p"), run.out());
        assertTrue(run.out().contains("train-fraction"), run.out());
        assertTrue(run.out().contains(exampleJar.toString()), run.out());
    }

    @Test
    void worksWithoutThePluginsFolderToo() throws Exception {
        ProcessRun run = sedge("plugins", "--json", "--plugins", temp.resolve("none").toString());

        assertEquals(0, run.code(), run.err());
        assertFalse(run.out().contains("mod-cubes"));
        assertEquals(List.of("sedge: --plugins " + temp.resolve("none") + " is not a folder; only the built-in plugins"
                + " are loaded"), run.unexpectedErrors(), "one line saying so, nothing else");
    }
}
