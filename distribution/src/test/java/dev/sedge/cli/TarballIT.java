package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.core.plugin.PluginKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball, unpacked in an empty folder, runs with no JDK on the PATH, no JAVA_HOME and an
 * empty home: only {@code /bin/sh} and {@code readlink} come from the machine.
 */
class TarballIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path image;
    private static Map<String, String> bareEnv;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("sedge.tarball"));
        assertTrue(Files.isRegularFile(tarball), "no tarball at " + tarball + ": run `./mvnw verify`");
        Path unpacked = Files.createDirectories(temp.resolve("unpacked"));
        ProcessRun tar = ProcessRun.of(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()),
                System.getenv(), unpacked, temp);
        assertEquals(0, tar.code(), tar.err());
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> entries = top.toList();
            assertEquals(List.of(unpacked.resolve(System.getProperty("sedge.image.name"))), entries,
                    "the tarball holds one top folder");
            image = entries.getFirst();
        }
        bareEnv = bareEnvironment();
    }

    /** PATH holds only a copy of readlink; HOME is empty; nothing Java-related is set. */
    private static Map<String, String> bareEnvironment() throws IOException {
        Path tools = Files.createDirectories(temp.resolve("tools"));
        Path readlink = Stream.of("/usr/bin/readlink", "/bin/readlink").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError("no readlink on this machine"));
        Files.copy(readlink, tools.resolve("readlink"), StandardCopyOption.COPY_ATTRIBUTES);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tools.toString());
        env.put("HOME", Files.createDirectories(temp.resolve("home")).toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    private static ProcessRun sedge(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(image.resolve("bin/sedge").toString());
        command.addAll(Arrays.asList(args));
        return ProcessRun.of(command, bareEnv, temp, temp);
    }

    @Test
    void theBareEnvironmentHasNoJava() {
        assertFalse(bareEnv.containsKey("JAVA_HOME"));
        for (String dir : bareEnv.get("PATH").split(":")) {
            assertFalse(Files.exists(Path.of(dir, "java")), dir + " holds a java");
        }
    }

    @Test
    void pluginsJsonListsProvidersOfAllSixKinds() throws Exception {
        ProcessRun run = sedge("plugins", "--json");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of(), run.unexpectedErrors(), "stderr");
        JsonNode root = JSON.readTree(run.out());
        Set<String> kinds = new TreeSet<>();
        for (JsonNode plugin : root.path("plugins")) {
            assertFalse(plugin.path("name").asText().isBlank(), "a plugin without a name: " + plugin);
            kinds.add(plugin.path("kind").asText());
        }
        Set<String> all = Arrays.stream(PluginKind.values()).map(PluginKind::id).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(all, kinds, "kinds with at least one provider");
        assertEquals(0, root.path("problems").size(), root.path("problems").toString());
    }

    @Test
    void versionWorksThroughASymlinkFromAnotherFolder() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/bin"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("sedge"), image.resolve("bin/sedge"));
        ProcessRun run = ProcessRun.of(List.of(link.toString(), "--version"), bareEnv, elsewhere, temp);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("sedge 0.1.0\n"), run.out());
        assertEquals(List.of(), run.unexpectedErrors(), "stderr");
    }

    @Test
    void carriesTheReadmeTheDocsAndTheExamplesItsHelpPointsAt() throws Exception {
        for (String file : List.of("README.md", "docs/science.md", "docs/reproductions.md", "docs/training.md",
                "examples/configs/transformer-mod97.json", "examples/sweeps/level-m-fraction.json")) {
            assertTrue(Files.isRegularFile(image.resolve(file)), file + " in the tarball");
        }
        ProcessRun run = sedge("train", image.resolve("examples/configs/transformer-mod97.json").toString(), "--dry-run");
        assertEquals(0, run.code(), run.err());
        ProcessRun sweep = sedge("sweep", image.resolve("examples/sweeps/level-m-fraction.json").toString(), "--dry-run",
                "--out", temp.resolve("never").toString());
        assertEquals(0, sweep.code(), sweep.err());
        assertTrue(sweep.out().contains("p-127_train-fraction-0.5"), sweep.out());
    }

    /**
     * The plugin author's path, from the unpacked tarball only: Maven (the one running this build,
     * with a fresh local repository, so nothing sedge installed is seen) builds the example plugin
     * against sdk/repository and Maven Central and runs its contract tests; the image lists it with
     * the version of its pom and trains with its task and detector. The same classes as a plain jar
     * (no module-info) named {@code -9.9} report their manifest's version, not the file name's.
     */
    @Test
    void theExamplePluginBuildsFromTheSdkAloneRunsItsContractTestsAndTrains() throws Exception {
        for (String file : List.of("sdk/repository/dev/sedge/platform-api/0.1.0/platform-api-0.1.0.pom",
                "sdk/repository/dev/sedge/platform-testkit/0.1.0/platform-testkit-0.1.0-sources.jar",
                "sdk/javadoc/platform-api/index.html", "docs/plugins.md", "examples/plugin-example/README.md")) {
            assertTrue(Files.isRegularFile(image.resolve(file)), file + " in the tarball");
        }
        Path example = image.resolve("examples/plugin-example");
        Path mvn = Path.of(System.getProperty("sedge.maven.home"), "bin", "mvn");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("MAVEN_OPTS");
        ProcessRun build = ProcessRun.of(List.of(mvn.toString(), "-B", "-ntp", "-Dmaven.repo.local=" + temp.resolve("m2"),
                "-f", example.resolve("pom.xml").toString(), "verify"), env, example, temp, Duration.ofMinutes(10));
        assertEquals(0, build.code(), build.out() + build.err());
        assertTrue(build.out().contains("Tests run: 3, Failures: 0, Errors: 0"), build.out());
        assertTrue(Files.isRegularFile(temp.resolve("m2/dev/sedge/platform-testkit/0.1.0/platform-testkit-0.1.0.jar")));

        Path plugins = Files.createDirectories(temp.resolve("sdk-plugins"));
        Files.copy(example.resolve("target/cubes-plugin-1.0.0.jar"), plugins.resolve("cubes-plugin-1.0.0.jar"));
        ProcessRun show = sedge("plugins", "show", "mod-cubes", "--plugins", plugins.toString());
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().startsWith("task mod-cubes 1.0.0\n"), show.out());

        Path run = temp.resolve("cubes-run");
        ProcessRun train = sedge("train", "--plugins", plugins.toString(), "--set", "task.name=mod-cubes",
                "--set", "task.p=23", "--set", "architecture.hidden=64", "--set", "train.steps=30",
                "--set", "detectors=gap-threshold", "--set", "detector.gap-threshold.threshold=1.5",
                "--out", run.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("gap-threshold fired at step"), train.out());
        JsonNode manifest = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals("1.0.0", manifest.at("/provenance/plugins/task~1mod-cubes").asText(), manifest.toString());

        Path plain = Files.createDirectories(temp.resolve("plain-plugins"));
        Path classes = temp.resolve("plain-classes");
        ProcessRun copy = ProcessRun.of(List.of("cp", "-r", example.resolve("target/classes").toString(), classes.toString()),
                System.getenv(), temp, temp);
        assertEquals(0, copy.code(), copy.err());
        Files.delete(classes.resolve("module-info.class"));
        Path manifestFile = Files.writeString(temp.resolve("plain.mf"), "Implementation-Version: 1.0.0\n");
        ProcessRun jar = ProcessRun.of(List.of(Path.of(System.getProperty("java.home"), "bin", "jar").toString(),
                "--create", "--file", plain.resolve("cubes-plain-9.9.jar").toString(), "--manifest", manifestFile.toString(),
                "-C", classes.toString(), "."), System.getenv(), temp, temp);
        assertEquals(0, jar.code(), jar.err());
        ProcessRun listed = sedge("plugins", "show", "gap-threshold", "--plugins", plain.toString());
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().startsWith("detector gap-threshold 1.0.0\n"), listed.out());
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        ProcessRun run = sedge("no-such-command");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("no-such-command"), run.err());
    }

    /**
     * The natives in lib/native load offline on the bundled runtime, with the settings the
     * launcher makes (mirrored here: the probe needs its own class path, which the launcher
     * does not take), and nothing is extracted into DJL's cache. The probe is
     * {@code dev.sedge.cli.probe.PyTorchProbe}, from the test classes.
     */
    @Test
    void bundledPyTorchLoadsOfflineFromLibNative() throws Exception {
        Path cache = temp.resolve("djl-cache");
        Map<String, String> env = new HashMap<>(bareEnv);
        env.put("PYTORCH_LIBRARY_PATH", image.resolve("lib/native").toString());
        env.put("PYTORCH_VERSION", System.getProperty("sedge.pytorch.version"));
        env.put("PYTORCH_FLAVOR", "cpu");
        env.put("DJL_CACHE_DIR", cache.toString());
        env.put("XDG_CACHE_HOME", temp.resolve("xdg").toString());
        Path probe = Path.of(System.getProperty("sedge.test.classes"));
        ProcessRun run = ProcessRun.of(List.of(image.resolve("runtime/bin/java").toString(),
                "-Dai.djl.offline=true",
                "--enable-native-access=ai.djl.pytorch_engine,com.sun.jna",
                "--module-path", image.resolve("lib").toString(),
                "--add-modules", "ALL-MODULE-PATH",
                "-cp", probe.toString(),
                "dev.sedge.cli.probe.PyTorchProbe"), env, temp, temp);
        assertEquals(0, run.code(), run.err());
        assertEquals("PyTorch " + System.getProperty("sedge.pytorch.version") + " sum=6.0", run.out().strip());
        assertFalse(Files.exists(cache.resolve("pytorch")), "DJL extracted natives into its cache");
    }
}
