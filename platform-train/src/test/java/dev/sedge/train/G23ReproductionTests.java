package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.sweep.G23Reproduction;
import dev.sedge.core.sweep.PaperComparison;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.SweepListener;
import dev.sedge.core.sweep.SweepOutcome;
import dev.sedge.core.sweep.SweepPlan;
import dev.sedge.core.sweep.SweepRunner;
import dev.sedge.core.sweep.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge reproduce g23} on a small version of its protocol that groks in seconds: the built-in spec
 * with add and its control only, one seed, and mlp2 on (a + b) mod 11 for 300 full-batch steps with the
 * protocol's AdamW and weight decay 1.0, a window of W = 3 every 2 steps. The summary must count what the
 * runs' own events.json and spectrum.csv say.
 */
class G23ReproductionTests {

    private static final List<String> SMALL = List.of("architecture.name=mlp2", "architecture.hidden=64",
            "task.p=11", "task.train-size=90", "optimizer.learning-rate=0.01", "train.steps=300",
            "train.batch-size=0", "train.eval-every=2", "spectrum.group=layer1", "spectrum.window=3",
            "spectrum.every=2");

    @TempDir
    Path dir;

    @Test
    void countsTheDeclineOfEachRunAsItsEventsSayAndReportsTheDeviations() throws Exception {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins"));
        SweepSpec protocol = G23Reproduction.spec().withConditions(List.of("add", "add-no-wd"))
                .withSeeds(SweepSpec.firstSeeds(1)).withOverrides(SMALL);
        SweepPlan plan = SweepPlan.of(protocol, dir.resolve("out"), registry);
        SweepOutcome outcome = new SweepRunner(new InProcessExecutor(registry), SweepListener.NONE).run(plan);

        G23Reproduction.Summary summary = G23Reproduction.summarize(outcome, SMALL);

        assertTrue(outcome.failures().isEmpty(), outcome.failures().toString());
        assertTrue(summary.deviations().containsAll(List.of("1 seed per condition instead of 3",
                "conditions add, add-no-wd only", "train.steps=300")), summary.deviations().toString());
        G23Reproduction.ConditionRow add = summary.conditions().get(0);
        G23Reproduction.ConditionRow control = summary.conditions().get(1);
        assertEquals("add", add.condition());
        assertTrue(!add.control() && control.control(), "the run without weight decay is the control");

        PlannedRun run = plan.runs().getFirst();
        DetectorSummary events = EventsFile.read(run.layout().events()).stream()
                .filter(s -> s.detector().equals(G23Reproduction.DETECTOR)).findFirst().orElseThrow();
        assertEquals(1.0, events.statistics().get("grokked"), "this small run groks: " + events.statistics());
        double decline = events.statistics().get("decline");
        assertEquals(List.of(decline), add.decline());
        assertEquals(decline > G23Reproduction.MIN_DECLINE ? 1 : 0, add.fired());
        assertEquals(events.events().isEmpty() ? 0 : 1, add.fired(), "fired means the detector's event");
        long grokking = events.statistics().get("grokking_step").longValue();
        assertEquals(List.of(kstarAt(run.layout().spectrum(), grokking)), add.kstar());

        Map<String, String> ours = summary.comparison().stream()
                .collect(Collectors.toMap(PaperComparison::quantity, PaperComparison::ours));
        assertEquals(add.fired() + "/1", ours.get("add, sub, mul, x²+y² with weight decay: decline > 1.5"),
                "the one run grokked with windows before it: nothing to explain");
        assertEquals(control.fired() + "/1", ours.get("the same four without weight decay: decline > 1.5"));
        assertEquals("not run", ours.get("a²+ab+b², a³+ab with weight decay: grokked"));
    }

    /** The kstar column of spectrum.csv at {@code step}, read by its header. */
    private static int kstarAt(Path spectrum, long step) throws IOException {
        List<String> lines = Files.readAllLines(spectrum);
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (Long.parseLong(cells[0]) == step) {
                return Integer.parseInt(cells[header.indexOf("kstar")]);
            }
        }
        throw new AssertionError("no window at step " + step + " in " + spectrum);
    }
}
