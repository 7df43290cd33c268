package dev.sedge.fuzz;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Fuzzes one {@link Reader} with Jazzer in a JVM of its own, seeded from the repository's real
 * fixtures, and says what it reached. {@code FuzzIT} runs each target for seconds in
 * {@code ./mvnw verify}; {@code fuzz/run.sh} runs {@link #main} for the long campaign.
 *
 * @param repo      the repository's root, where the seed globs are resolved
 * @param classpath the class path of the fuzzing JVM (this module's test classes and dependencies)
 * @param work      where each target keeps its corpus (kept between runs), seeds, findings and log
 */
record FuzzCampaign(Path repo, String classpath, Path work) {

    /** How long a run lasts: a number of inputs, or seconds. */
    record Limit(long runs, long seconds) {
        static Limit runs(long runs) {
            return new Limit(runs, 0);
        }

        static Limit seconds(long seconds) {
            return new Limit(0, seconds);
        }

        String flag() {
            return runs > 0 ? "-runs=" + runs : "-max_total_time=" + seconds;
        }
    }

    /**
     * What one run reached.
     *
     * @param executions inputs run, as libFuzzer counted them
     * @param findings   the inputs Jazzer saved for a failure (crash-, timeout-, oom-…), empty when clean
     * @param log        Jazzer's output
     */
    record Outcome(Reader target, long executions, double seconds, int exitCode, List<Path> findings, Path log) {
        /** No finding, and enough inputs run to call it fuzzing rather than start-up. */
        boolean clean() {
            return exitCode == 0 && findings.isEmpty() && executions >= MINIMUM_EXECUTIONS;
        }
    }

    /** Fewer inputs than this in a run means the target barely ran (start-up ate the time). */
    static final long MINIMUM_EXECUTIONS = 100;
    /** Per-input limit: an input that takes longer is a hang. */
    static final int TIMEOUT_SECONDS = 10;
    /** The fuzzing JVM's heap; an input that needs more is a finding (unbounded allocation). */
    static final String HEAP = "-Xmx1g";

    private static final Pattern EXECUTED = Pattern.compile("stat::number_of_executed_units: (\\d+)");

    Outcome run(Reader target, Limit limit) throws IOException, InterruptedException {
        Path folder = work.resolve(target.id());
        Path corpus = Files.createDirectories(folder.resolve("corpus"));
        Path findings = emptied(folder.resolve("findings")); // a finding kept is in fuzz/regressions
        Path seeds = writeSeeds(target, emptied(folder.resolve("seeds")));
        Path log = folder.resolve("jazzer.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+EnableDynamicAgentLoading", "-Xshare:off",
                "-Dsedge.fuzz.target=" + target.id(), "-Djava.io.tmpdir=" + scratchRoot(),
                "-cp", classpath,
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + FuzzEntry.class.getName(),
                "--instrumentation_includes=dev.sedge.**",
                "--reproducer_path=" + findings,
                "-artifact_prefix=" + findings + "/",
                "-timeout=" + TIMEOUT_SECONDS,
                "-rss_limit_mb=3072",
                "-print_final_stats=1",
                limit.flag(),
                corpus.toString(), seeds.toString());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long wait = limit.seconds() > 0 ? limit.seconds() * 4 + 120 : TimeUnit.DAYS.toSeconds(1);
        if (!process.waitFor(wait, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Jazzer on " + target.id() + " did not stop within " + wait + " s; see " + log);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Matcher executed = EXECUTED.matcher(Files.readString(log));
        long executions = executed.find() ? Long.parseLong(executed.group(1)) : 0;
        List<Path> saved;
        try (Stream<Path> files = Files.list(findings)) {
            saved = files.sorted().toList();
        }
        return new Outcome(target, executions, seconds, process.exitValue(), saved, log);
    }

    /** Memory-backed /dev/shm where there is one: each input is written to a file and read back. */
    private static Path scratchRoot() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Path emptied(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> old = Files.list(folder)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        return Files.createDirectories(folder);
    }

    /** Copies the files the target's globs match (or their data.pkl entries) into the empty {@code seeds}. */
    Path writeSeeds(Reader target, Path seeds) throws IOException {
        int n = 0;
        for (Path file : seedFiles(target)) {
            if (!target.seedsArePickles()) {
                Files.copy(file, seeds.resolve(n++ + "-" + file.getFileName()));
                continue;
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (ZipEntry entry : zip.stream().filter(e -> e.getName().endsWith("/data.pkl")).toList()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, seeds.resolve(n++ + "-" + file.getFileName() + ".pkl"));
                    }
                }
            } catch (ZipException legacyOrCorrupt) {
                // a legacy or broken .pt holds no data.pkl entry
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no seed for " + target.id() + " under " + repo + " from " + target.seeds());
        }
        return seeds;
    }

    List<Path> seedFiles(Reader target) throws IOException {
        List<PathMatcher> globs = target.seeds().stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        List<Path> files = new ArrayList<>();
        for (String top : target.seeds().stream().map(glob -> glob.substring(0, glob.indexOf('/'))).distinct().toList()) {
            try (Stream<Path> walk = Files.walk(repo.resolve(top))) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> globs.stream().anyMatch(g -> g.matches(repo.relativize(f))))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    /**
     * The long campaign: {@code [--runs N | --seconds S] [TARGET …]} (default: 10⁶ runs of every
     * target), with the repository, class path and work folder as system properties; prints one
     * Markdown row per target and exits 1 if any run was not clean.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Limit limit = Limit.runs(1_000_000);
        List<Reader> targets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> limit = Limit.runs(Long.parseLong(args[++i]));
                case "--seconds" -> limit = Limit.seconds(Long.parseLong(args[++i]));
                default -> targets.add(Reader.byId(args[i]));
            }
        }
        if (targets.isEmpty()) {
            targets = List.of(Reader.values());
        }
        FuzzCampaign campaign = fromProperties();
        System.out.println("| target | executions | seconds | executions/s | outcome |");
        System.out.println("|---|---:|---:|---:|---|");
        boolean clean = true;
        for (Reader target : targets) {
            Outcome outcome = campaign.run(target, limit);
            clean &= outcome.clean();
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %s |%n", target.id(), outcome.executions(),
                    outcome.seconds(), outcome.executions() / outcome.seconds(),
                    outcome.clean() ? "clean" : "exit " + outcome.exitCode() + ", " + outcome.findings() + ", " + outcome.log());
        }
        System.exit(clean ? 0 : 1);
    }

    static FuzzCampaign fromProperties() throws IOException {
        Path classpathFile = Path.of(required("sedge.fuzz.classpath"));
        String classpath = Files.readString(classpathFile).strip();
        Path testClasses = classpathFile.resolveSibling("test-classes");
        return new FuzzCampaign(Path.of(required("sedge.fuzz.repo")).toAbsolutePath().normalize(),
                testClasses + File.pathSeparator + classpath, Path.of(required("sedge.fuzz.work")));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (fuzz/run.sh and the pom set it)");
        }
        return value;
    }
}
