package dev.sedge.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTests {

    @TempDir
    Path work;

    /** Sources of a detector plugin; {@code module} null makes a plain (class-path style) jar. */
    private static Map<String, String> detector(String module, String pkg, String name, String body) {
        Map<String, String> sources = new LinkedHashMap<>();
        String cls = pkg + ".TestDetector";
        if (module != null) {
            sources.put("module-info.java", "module " + module + " { requires dev.sedge.api; "
                    + "provides dev.sedge.api.detect.EdgeDetector with " + cls + "; }");
        }
        sources.put("META-INF/services/dev.sedge.api.detect.EdgeDetector", cls + "\n");
        sources.put(pkg.replace('.', '/') + "/TestDetector.java", """
                package %s;
                import dev.sedge.api.*;
                import dev.sedge.api.detect.*;
                public final class TestDetector implements EdgeDetector {
                    %s
                    public String name() { return "%s"; }
                    public DetectorRun open(PluginConfig config) { throw new UnsupportedOperationException(); }
                }
                """.formatted(pkg, body, name));
        return sources;
    }

    private static final String PLAIN_DESCRIPTOR =
            "public PluginDescriptor descriptor() { return PluginDescriptor.of(\"a test detector\"); }";

    private Path plugins() throws IOException {
        return Files.createDirectories(work.resolve("plugins"));
    }

    @Test
    void loadsNamedModuleJarIntoItsOwnLayer() throws IOException {
        Path jar = PluginJars.build(work, plugins().resolve("good.jar"),
                detector("org.example.good", "org.example.good", "good-one", PLAIN_DESCRIPTOR));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertEquals(List.of(), registry.problems());
        PluginEntry entry = registry.find("good-one").getFirst();
        assertEquals(PluginKind.DETECTOR, entry.kind());
        assertEquals(jar.toString(), entry.location());
        assertFalse(entry.builtIn());
        assertEquals("org.example.good", entry.plugin().getClass().getModule().getName());
        assertTrue(entry.plugin().getClass().getModule().getLayer() != ModuleLayer.boot());
        assertEquals("good-one", registry.get(EdgeDetector.class, "good-one").name());
    }

    @Test
    void loadsPlainJarWithServicesFileAsAutomaticModule() throws IOException {
        PluginJars.build(work, plugins().resolve("plain-detector.jar"),
                detector(null, "org.example.plain", "plain-one", PLAIN_DESCRIPTOR));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertEquals(List.of(), registry.problems());
        assertEquals(1, registry.find("plain-one").size());
    }

    @Test
    void reportsBrokenJarAndStillLoadsTheOthers() throws IOException {
        PluginJars.build(work, plugins().resolve("good.jar"),
                detector("org.example.good", "org.example.good", "good-one", PLAIN_DESCRIPTOR));
        Path broken = Files.write(plugins().resolve("broken.jar"), new byte[] {1, 2, 3, 4, 5});
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertEquals(1, registry.find("good-one").size());
        assertEquals(1, registry.problems().size());
        PluginProblem problem = registry.problems().getFirst();
        assertEquals(broken.toString(), problem.source());
        assertTrue(problem.toString().startsWith("plugin " + broken + " skipped: "), problem.toString());
        assertFalse(problem.message().contains("\n"), "one line: " + problem.message());
    }

    @Test
    void refusesDuplicateNameNamingBothJars() throws IOException {
        Path first = PluginJars.build(work, plugins().resolve("a.jar"),
                detector("org.example.a", "org.example.a", "same-name", PLAIN_DESCRIPTOR));
        Path second = PluginJars.build(work, plugins().resolve("b.jar"),
                detector("org.example.b", "org.example.b", "same-name", PLAIN_DESCRIPTOR));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertEquals(first.toString(), registry.find("same-name").getFirst().location());
        assertEquals(1, registry.problems().size());
        String message = registry.problems().getFirst().toString();
        assertTrue(message.contains(first.toString()) && message.contains(second.toString()), message);
    }

    @Test
    void refusesPluginBuiltForNewerApiLevel() throws IOException {
        PluginJars.build(work, plugins().resolve("future.jar"), detector("org.example.future", "org.example.future",
                "from-the-future", "public PluginDescriptor descriptor() { return new PluginDescriptor("
                        + "\"needs more\", 99, java.util.List.of()); }"));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertTrue(registry.find("from-the-future").isEmpty());
        String message = registry.problems().getFirst().message();
        assertTrue(message.contains("API level 99")
                && message.contains("API level " + PluginDescriptor.API_LEVEL), message);
    }

    @Test
    void reportsPluginWhoseConstructorThrows() throws IOException {
        PluginJars.build(work, plugins().resolve("throws.jar"), detector("org.example.bad", "org.example.bad",
                "never-seen", PLAIN_DESCRIPTOR + " public TestDetector() { throw new IllegalStateException(\"boom\"); }"));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertTrue(registry.find("never-seen").isEmpty());
        String message = registry.problems().getFirst().toString();
        assertTrue(message.contains("throws.jar") && message.contains("boom"), message);
    }

    @Test
    void reportsPluginThatNeverFinishesLoadingAndLoadsTheRest() throws IOException {
        PluginJars.build(work, plugins().resolve("stuck.jar"), detector("org.example.stuck", "org.example.stuck",
                "stuck", PLAIN_DESCRIPTOR + " public TestDetector() { while (!Thread.currentThread().isInterrupted()) {"
                        + " Thread.onSpinWait(); } }"));
        PluginJars.build(work, plugins().resolve("good.jar"), detector("org.example.good", "org.example.good",
                "good-one", PLAIN_DESCRIPTOR));
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "1");
        PluginRegistry registry;
        try {
            registry = PluginRegistry.load(work.resolve("plugins"));
        } finally {
            System.clearProperty(PluginCall.TIME_LIMIT_PROPERTY);
        }

        assertTrue(registry.find("stuck").isEmpty());
        assertEquals(1, registry.find("good-one").size());
        String message = registry.problems().getFirst().toString();
        assertTrue(message.contains("stuck.jar") && message.contains("loading did not return within 1 s"), message);
    }

    @Test
    void aBadTimeLimitStopsTheLoadOnceInsteadOfSkippingEveryPlugin() {
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "soon");
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> PluginRegistry.load(work.resolve("plugins")));
            assertTrue(e.getMessage().startsWith("-Dsedge.plugin.timeout=soon"), e.getMessage());
        } finally {
            System.clearProperty(PluginCall.TIME_LIMIT_PROPERTY);
        }
    }

    @Test
    void refusesNameThatIsNotKebabCase() throws IOException {
        PluginJars.build(work, plugins().resolve("badname.jar"),
                detector("org.example.badname", "org.example.badname", "Bad_Name", PLAIN_DESCRIPTOR));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertTrue(registry.find("Bad_Name").isEmpty());
        assertTrue(registry.problems().getFirst().message().contains("lower-kebab-case"));
    }

    @Test
    void reportsJarThatProvidesNothing() throws IOException {
        Path empty = plugins().resolve("empty.jar");
        PluginJars.build(work, empty, Map.of("org/example/Nothing.java", "package org.example; class Nothing {}"));
        PluginRegistry registry = PluginRegistry.load(work.resolve("plugins"));

        assertTrue(registry.problems().getFirst().message().contains("provides no sedge plugin"));
    }

    @Test
    void treatsMissingFolderAsNoThirdPartyPlugins() {
        PluginRegistry registry = PluginRegistry.load(work.resolve("does-not-exist"));

        assertEquals(List.of(), registry.problems());
        assertTrue(registry.entries().stream().allMatch(PluginEntry::builtIn));
    }

    @Test
    void unknownNameListsKnownOnesAndTheFolder() {
        PluginRegistry registry = PluginRegistry.load(work.resolve("none"));
        ConfigException e = assertThrows(ConfigException.class, () -> registry.get(Task.class, "no-such-task"));

        assertTrue(e.getMessage().contains("unknown task 'no-such-task'"), e.getMessage());
        assertTrue(e.getMessage().contains(work.resolve("none").toString()), e.getMessage());
    }

    @Test
    void pluginsFolderPrefersOptionThenEnvironmentThenHome() {
        assertEquals(Path.of("/opt/p"), PluginsFolder.resolve("/opt/p", Map.of("SEDGE_PLUGINS", "/env")));
        assertEquals(Path.of("/env"), PluginsFolder.resolve(null, Map.of("SEDGE_PLUGINS", "/env")));
        assertEquals(Path.of("/home/else", ".sedge", "plugins"), PluginsFolder.resolve(" ", Map.of("HOME", "/home/else")),
                "the shell's HOME, as for every other tool");
        assertEquals(Path.of(System.getProperty("user.home"), ".sedge", "plugins"),
                PluginsFolder.resolve(" ", Map.of()));
    }
}
