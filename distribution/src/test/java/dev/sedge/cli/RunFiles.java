package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SpectrumCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What the crash tests check of a run directory: that it reads, and that it equals another. Stateless. */
final class RunFiles {

    private static final SafetensorsFormat SAFETENSORS = new SafetensorsFormat();

    private RunFiles() {
    }

    /** Every regular file under {@code dir}, as paths relative to it, sorted; the lock file left out. */
    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(name -> !name.equals(RunLock.FILE)).sorted().toList();
        }
    }

    /** The temporary files of interrupted writes ({@code .NAME.PID.RANDOM.tmp}) under {@code dir}. */
    static List<String> temporaries(Path dir) throws IOException {
        return files(dir).stream().filter(RunFiles::isTemporary).toList();
    }

    static boolean isTemporary(String relative) {
        String name = Path.of(relative).getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /**
     * Reads every file of the run directory under its final name with sedge's own readers, whole: the
     * manifest, metrics, spectrum, events and every tensor of every safetensors file. Temporary files
     * and the lock are skipped; {@code extra} names other files allowed there (a sweep's log and marker).
     *
     * @throws AssertionError or the reader's exception if a file does not read
     */
    static void assertReadable(Path run, Set<String> extra) throws IOException {
        for (String relative : files(run)) {
            if (isTemporary(relative) || extra.contains(relative)) {
                continue;
            }
            Path file = run.resolve(relative);
            switch (file.getFileName().toString()) {
                case "run.json" -> ManifestFile.read(file);
                case "metrics.csv" -> MetricsCsv.read(file);
                case "spectrum.csv" -> SpectrumCsv.read(file);
                case "events.json" -> EventsFile.readEntries(file);
                case String name when name.endsWith(".safetensors") -> {
                    try (Checkpoint checkpoint = SAFETENSORS.open(file)) {
                        checkpoint.readAll();
                    }
                }
                default -> throw new AssertionError("unexpected file " + relative + " in " + run);
            }
        }
    }

    /**
     * Asserts that {@code actual} holds the same files as {@code expected}, byte for byte, apart from
     * {@code ignored}; {@code run.json} must agree in everything but the time it was created. A
     * temporary file left over in {@code actual} is a difference.
     */
    static void assertSameRun(Path expected, Path actual, Set<String> ignored, String what) throws IOException {
        List<String> names = files(expected).stream().filter(n -> !ignored.contains(n)).toList();
        assertEquals(names, files(actual).stream().filter(n -> !ignored.contains(n)).toList(),
                what + ": the files of " + actual);
        for (String name : names) {
            if (name.equals("run.json")) {
                RunManifest a = ManifestFile.read(expected.resolve(name));
                RunManifest b = ManifestFile.read(actual.resolve(name));
                assertEquals(a.kind(), b.kind(), what + ": run.json");
                assertEquals(a.provenance().config(), b.provenance().config(), what + ": run.json");
                assertEquals(a.provenance().plugins(), b.provenance().plugins(), what + ": run.json");
                assertEquals(a.layout(), b.layout(), what + ": run.json");
                assertEquals(a.runtime(), b.runtime(), what + ": run.json");
            } else {
                assertEquals(-1L, Files.mismatch(expected.resolve(name), actual.resolve(name)),
                        what + ": " + name + " differs from the uninterrupted run's");
            }
        }
    }

    /** The steps of the committed checkpoints (parameter files) of {@code run}. */
    static List<Long> checkpoints(Path run) {
        return new RunLayout(run).checkpointSteps();
    }
}
