package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.FunctionalModesReproduction;
import dev.sedge.core.sweep.FunctionalModesReproduction.Explained;
import dev.sedge.core.sweep.FunctionalModesReproduction.Measures;
import dev.sedge.core.sweep.PaperComparison;
import dev.sedge.core.sweep.SweepListener;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge reproduce functional-modes} on a small version of its protocol that groks in seconds: the
 * built-in spec with add and mul, seed 42 only, and mlp2 on p = 11 for 300 full-batch steps with a
 * checkpoint every 2. Each run is explained at its post-grok window; the summary must say what the runs'
 * own explain files say, and a second call must reuse those files.
 */
class FunctionalModesReproductionTests {

    private static final List<String> SMALL = List.of("architecture.name=mlp2", "architecture.hidden=64",
            "task.p=11", "task.train-size=90", "optimizer.learning-rate=0.01", "train.steps=300",
            "train.batch-size=0", "train.eval-every=2", "train.checkpoint-every=2", "spectrum.group=layer1",
            "spectrum.window=3", "spectrum.every=2");

    @TempDir
    Path dir;

    @Test
    void explainsEachGrokkedRunAtItsPostGrokWindowAndReportsWhatItsFileSays() throws Exception {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins"));
        SweepSpec protocol = FunctionalModesReproduction.spec().withConditions(List.of("add", "mul"))
                .withFirstSeeds(1).withOverrides(SMALL);
        SweepPlan plan = SweepPlan.of(protocol, dir.resolve("out"), registry);
        SweepOutcome outcome = new SweepRunner(new InProcessExecutor(registry), SweepListener.NONE).run(plan);
        assertTrue(outcome.failures().isEmpty(), outcome.failures().toString());
        assertEquals(List.of(42L), protocol.seeds(), "--seeds 1 is the paper's first seed");

        List<String> said = new ArrayList<>();
        List<Explained> explained = FunctionalModesReproduction.explain(outcome, registry,
                (run, what) -> said.add(run.id() + ": " + what));
        FunctionalModesReproduction.Summary summary = FunctionalModesReproduction.summarize(outcome, explained, SMALL);

        assertTrue(summary.deviations().containsAll(List.of("seeds 42 instead of 42, 137, 2024",
                "conditions add, mul only", "train.steps=300")), summary.deviations().toString());
        assertEquals(2, explained.size());
        for (Explained e : explained) {
            assertTrue(e.measures().isPresent(), e.run().id() + " groks at p = 11 and is explained: " + e.reason());
            Measures m = e.measures().get();
            JsonNode file = new ObjectMapper().readTree(m.file().toFile());
            assertEquals(e.run().directory().resolve("explain").resolve(m.file().getFileName()), m.file());
            assertEquals(20, file.path("window").asInt(), "the paper's W = 20");
            assertTrue(file.path("centered").asBoolean(), "centered");
            assertEquals(lastCheckpointAbove95(e.run().directory()), m.step(), "the post-grok window");
            JsonNode v1 = file.path("directions").path(0);
            assertEquals(v1.path("bases").path(0).path("basis").asText(), m.best().basis(), "best first in the file");
            assertEquals(v1.path("bases").path(0).path("concentration").asDouble(), m.best().concentration());
            assertEquals(v1.path("probe").path("cross_terms").asDouble(), m.crossTerms().orElseThrow());
            assertEquals(file.path("ablation").path("edge").path("accuracy").asDouble(), m.edge().orElseThrow());
            double random = 0;
            for (JsonNode r : file.path("ablation").path("random")) {
                random = Math.max(random, Math.abs(r.path("accuracy").asDouble()));
            }
            assertEquals(random, m.random().orElseThrow());
            assertEquals(file.path("directions").size(), m.peaks().size(), "one fourier peak per direction");
        }

        Map<String, String> ours = summary.comparison().stream()
                .collect(Collectors.toMap(PaperComparison::quantity, PaperComparison::ours));
        Measures add = explained.get(0).measures().orElseThrow();
        boolean claim = add.best().basis().equals("fourier") && add.best().lift() >= 10 && add.best().pValue() < 0.01;
        assertEquals((claim ? 1 : 0) + "/1",
                ours.get("add: v_1 best in Fourier over y = a+b, F ≥ 10× uniform, p < 0.01"));
        Measures mul = explained.get(1).measures().orElseThrow();
        assertEquals(String.format(Locale.ROOT, "seed 42: %.3f / %.3f = %.1f×", mul.dlog().orElseThrow(),
                mul.fourier().orElseThrow().concentration(),
                mul.dlog().orElseThrow() / mul.fourier().orElseThrow().concentration()),
                ours.get("mul: v_1's F in dlog / in Fourier over y (raw)"));
        assertEquals("not run", ours.get("x²+y²: v_1's probe R², add+mul → with cross-terms"));

        FileTime written = Files.getLastModifiedTime(add.file());
        said.clear();
        List<Explained> again = FunctionalModesReproduction.explain(outcome, registry,
                (run, what) -> said.add(run.id() + ": " + what));
        assertTrue(said.stream().allMatch(s -> s.contains(": reusing ")), "resumes: " + said);
        assertEquals(written, Files.getLastModifiedTime(add.file()));
        assertEquals(explained, again, "the same measures, read from the same files");
    }

    /** The last checkpoint step of metrics.csv's evaluations with test accuracy above 0.95, read by hand. */
    private static long lastCheckpointAbove95(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(lines.getFirst().split(","));
        long last = -1;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            long step = Long.parseLong(cells[0]);
            if (Double.parseDouble(cells[header.indexOf("test_acc")]) > 0.95
                    && Files.exists(run.resolve("checkpoints").resolve(String.format("step-%09d.safetensors", step)))) {
                last = step;
            }
        }
        return last;
    }
}
