package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.core.format.SafetensorsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every sedge command the documentation shows, run as a reader would run it: each {@code sh} block
 * of README.md, docs/*.md and the plugin example's README, and the examples in every command's
 * {@code --help}, as one shell script, in a folder laid out like the unpacked tarball
 * ({@code bin/}, {@code examples/}, the docs' {@code my.json} and {@code grid.json}) with a fresh
 * HOME that has the example plugin installed. The {@code sedge} the scripts call runs the image's,
 * with one change: a fresh {@code train}, a {@code sweep} and a {@code reproduce} get
 * {@code --dry-run} (which resolves and checks every key and plugin and prints the plan), so that
 * the suite stays minutes, not hours. Everything else runs for real: config, plugins, and
 * {@code spectrum}, {@code detect}, {@code repulsion} and {@code train --resume} (extending) on
 * small finished runs made beforehand at the paths the docs name. Lines other than sedge calls and
 * variable assignments (tar, cp, mvn) are left out; TarballIT runs those paths.
 */
class DocsExamplesIT {

    /** A sedge call, perhaps after variables set for it alone ({@code SEDGE_JAVA_OPTS=-Xmx256m sedge …}). */
    private static final Pattern CALL = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*(bin/)?sedge\\b.*");
    /** A line of a block that the script keeps: a sedge call, or a variable the next calls use. */
    private static final Pattern KEPT = Pattern.compile(CALL.pattern() + "|^[A-Za-z_][A-Za-z0-9_]*=.*");
    /** The small task every prepared run trains on: (a + b) mod 11. */
    private static final List<String> SMALL = List.of("--set", "task.p=11", "--set", "task.train-size=60");
    /** The small mlp2 of most prepared runs. */
    private static final String MLP = "architecture.hidden=64";

    @TempDir
    static Path temp;

    private static Path image;
    private static Path root;
    private static Path log;
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void layOutAFolderLikeTheTarballWithTheRunsTheDocsName() throws Exception {
        image = Path.of(System.getProperty("sedge.image"));
        root = Files.createDirectories(temp.resolve("sedge"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.createSymbolicLink(root.resolve("examples"), image.resolve("examples"));
        Files.createSymbolicLink(root.resolve("docs"), image.resolve("docs"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path wrapper = bin.resolve("sedge");
        Files.writeString(wrapper, """
                #!/bin/sh
                echo "$*" >> "$SEDGE_DOCS_LOG"
                case "$1 " in
                  "train ") case " $* " in *" --resume "*|*" --dry-run "*) ;; *) set -- "$@" --dry-run ;; esac ;;
                  "sweep "|"reproduce ") case " $* " in *" --dry-run "*) ;; *) set -- "$@" --dry-run ;; esac ;;
                esac
                exec "$SEDGE_REAL" "$@"
                """);
        assertTrue(wrapper.toFile().setExecutable(true));
        log = temp.resolve("calls.log");
        env = new HashMap<>(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", home.toString(), "LANG", "C.UTF-8",
                "SEDGE_DOCS_LOG", log.toString(), "SEDGE_REAL", image.resolve("bin/sedge").toString(),
                "XDG_CACHE_HOME", temp.resolve("xdg").toString()));

        Path plugins = Files.createDirectories(home.resolve(".sedge/plugins"));
        ExamplePluginJar.build(image, image.resolve("examples/plugin-example"), temp, plugins.resolve("cubes-plugin.jar"));

        Files.writeString(root.resolve("my.json"), sedge("config", "default").out());
        Files.createDirectories(root.resolve("configs"));
        Files.writeString(root.resolve("configs/small.json"), "{\"train\": {\"steps\": 40}}");
        Files.writeString(root.resolve("grid.json"), firstJsonBlockAfter(image.resolve("docs/reproductions.md"),
                "## Sweep spec"));

        prepare("runs/control", "--set", MLP, "--set", "optimizer.weight-decay=0", "--set", "train.steps=40",
                "--set", "train.checkpoint-every=10");
        prepare("runs/control-3", "--set", MLP, "--set", "optimizer.weight-decay=0", "--set", "seed=3",
                "--set", "train.steps=40", "--set", "train.checkpoint-every=10");
        prepare("runs/level", "--set", MLP, "--set", "train.steps=300", "--set", "train.checkpoint-every=100",
                "--set", "train.level-every=5");
        prepare("runs/dense", "--set", MLP, "--set", "train.steps=400", "--set", "train.checkpoint-every=10");
        prepare("runs/tiny-transformer", "--set", "architecture.name=transformer", "--set", "architecture.layers=1",
                "--set", "architecture.d-model=16", "--set", "architecture.heads=2", "--set", "architecture.ff=16",
                "--set", "train.steps=22", "--set", "train.checkpoint-every=1", "--set", "spectrum.group=attn");
        Files.createSymbolicLink(home.resolve("ckpts"), root.resolve("runs/tiny-transformer/checkpoints"));
        prepareFrom(List.of("examples/configs/dyck1-causal.json"), "runs/dyck-short", "--set",
                "architecture.d-model=32", "--set", "architecture.ff=64", "--set", "task.test-size=200", "--set",
                "train.steps=100", "--set", "train.eval-every=10", "--set", "train.checkpoint-every=10", "--set",
                "spectrum.every=10");
        writeBigTrajectory(root.resolve("big"));
    }

    /**
     * What {@code benchmarks/scale/make_big_trajectory.py big} writes (docs/scale.md), in miniature: 21 safetensors
     * checkpoints of one float32 tensor {@code w}, here of 4096 values.
     */
    private static void writeBigTrajectory(Path folder) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(0);
        float[] theta = new float[4_096];
        for (int t = 0; t <= 20; t++) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] += (float) random.nextGaussian();
            }
            new SafetensorsFormat().writer().orElseThrow().write(folder.resolve("step-" + t + ".safetensors"),
                    List.of(Tensor.ofFloats("w", DType.F32, List.of((long) theta.length), theta.clone())), Map.of());
        }
    }

    /** A small run at {@code path}, trained for real by the image's sedge. */
    private static void prepare(String path, String... more) throws Exception {
        prepareFrom(SMALL, path, more);
    }

    /** A finished run at {@code path}, trained with {@code base} and then {@code more}. */
    private static void prepareFrom(List<String> base, String path, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(base);
        args.addAll(List.of(more));
        args.addAll(List.of("--out", path));
        ProcessRun run = sedge(args.toArray(String[]::new));
        assertEquals(0, run.code(), path + ": " + run.err());
    }

    private static ProcessRun sedge(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/sedge").toString()));
        command.addAll(List.of(args));
        return ProcessRun.of(command, env, root, temp);
    }

    private static String firstJsonBlockAfter(Path doc, String heading) throws Exception {
        List<String> lines = Files.readAllLines(doc);
        int from = lines.indexOf(heading);
        int open = lines.subList(from, lines.size()).indexOf("```json") + from;
        int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
        return String.join("\n", lines.subList(open + 1, close));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleInTheDocsAndTheHelpRuns() throws Exception {
        Map<String, List<String>> scripts = new LinkedHashMap<>();
        List<Path> docs = new ArrayList<>(List.of(image.resolve("README.md"), image.resolve("examples/plugin-example/README.md")));
        try (Stream<Path> files = Files.list(image.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (Path doc : docs) {
            scripts.putAll(shellBlocks(doc));
        }
        scripts.putAll(helpExamples());
        assertTrue(scripts.size() >= 15, "found only " + scripts.keySet());
        return scripts.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> run(e.getKey(), e.getValue())));
    }

    /** The kept lines of each {@code sh} block of {@code doc}, by "file:line of the block". */
    private static Map<String, List<String>> shellBlocks(Path doc) throws Exception {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(doc);
        String name = image.relativize(doc).toString();
        List<String> block = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (block == null && line.equals("```sh")) {
                block = new ArrayList<>();
                blocks.put(name + ":" + (i + 1), block);
            } else if (block != null && line.equals("```")) {
                block = null;
            } else if (block != null && KEPT.matcher(line).matches()) {
                block.add(line);
            }
        }
        blocks.values().removeIf(List::isEmpty);
        return blocks;
    }

    /** Each help's example lines ({@code   sedge …}, split at {@code &&}), by command. */
    private static Map<String, List<String>> helpExamples() {
        Map<String, List<String>> examples = new LinkedHashMap<>();
        collect(Main.commandLine(Map.of()), examples);
        return examples;
    }

    private static void collect(CommandLine command, Map<String, List<String>> examples) {
        List<String> found = new ArrayList<>();
        for (String line : command.getUsageMessage().lines().toList()) {
            String stripped = line.strip();
            if (line.startsWith(" ") && stripped.startsWith("sedge ")) {
                for (String part : stripped.split("&&")) {
                    found.add(part.strip());
                }
            }
        }
        if (!found.isEmpty()) {
            examples.put(command.getCommandSpec().qualifiedName() + " --help", found);
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, examples));
    }

    private static void run(String where, List<String> lines) throws Exception {
        Files.deleteIfExists(log);
        String script = "set -e\n" + String.join("\n", lines) + "\n";
        ProcessRun run = ProcessRun.of(List.of("/bin/sh", "-c", script), env, root, temp,
                java.time.Duration.ofMinutes(5));
        String calls = Files.exists(log) ? Files.readString(log) : "";
        assertEquals(0, run.code(), where + " failed:\n" + script + "\ncalls made:\n" + calls + "\nstderr:\n"
                + run.err() + "\nstdout:\n" + run.out());
        long sedgeLines = lines.stream().filter(l -> CALL.matcher(l).matches()).count();
        assertEquals(sedgeLines, calls.lines().count(), where + ": every example line ran once:\n" + calls);
        assertNothingWrittenToTheHomeOrTheCache(where);
    }

    /**
     * The examples write only where they say: nothing in the cache folder or the home (ONNX Runtime's telemetry
     * files, for one), beside the plugin folder and the link the set-up made.
     */
    private static void assertNothingWrittenToTheHomeOrTheCache(String where) throws IOException {
        for (Path folder : List.of(temp.resolve("xdg"), home)) {
            if (!Files.exists(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                List<Path> written = files.filter(f -> !f.equals(folder) && !f.startsWith(home.resolve(".sedge"))
                        && !f.equals(home.resolve("ckpts"))).toList();
                assertEquals(List.of(), written, where + " wrote outside its folder");
            }
        }
    }
}
