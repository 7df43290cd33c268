package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.core.detect.Spread;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelTrace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's numbers next to known outcomes. */
class LockInReproductionTests {

    @TempDir
    Path dir;

    private SweepPlan plan(SweepSpec spec) {
        return SweepPlan.of(spec, dir.resolve("out"), PluginRegistry.load(dir.resolve("none")));
    }

    private static Map<String, String> ours(LockInSummary summary) {
        return summary.comparison().stream().collect(Collectors.toMap(PaperComparison::quantity,
                PaperComparison::ours));
    }

    @Test
    void summarisesEachConditionAndComparesWithThePaper() {
        SweepPlan plan = plan(LockInReproduction.spec().withSeeds(SweepSpec.firstSeeds(2)));
        SweepOutcome outcome = SweepOutcome.of(plan, Outcomes.rows(plan,
                Outcomes.result(174L, 300, 102L, 139L, 1.0), Outcomes.result(173L, 310, 100L, 140L, 1.0),
                Outcomes.result(null, 1.31, 90L, null, 0.6), Outcomes.result(null, 1.29, 95L, null, 0.6),
                Outcomes.result(null, 2.8, 300L, 500L, 1.0), Outcomes.result(null, 1.4, 310L, 510L, 1.0),
                Outcomes.result(null, 2.0, 200L, null, 0.8), Outcomes.result(612L, 2.0, 210L, null, 0.8)), Map.of());

        Map<String, LockInMeasures> measures = new LinkedHashMap<>();
        for (SweepRow row : outcome.rows()) {
            measures.put(row.run().id(), LockInMeasures.none());
        }
        measures.put("x2/seed-0", measured(20L, 0.12, 25L, 0.11, Map.of(300L, new LockInMeasures.SignScores(1.0, 0.98))));
        measures.put("x2/seed-1", measured(25L, 0.13, 30L, 0.12, Map.of(300L, new LockInMeasures.SignScores(0.98, 0.96))));
        measures.put("x2-no-wd/seed-0", measured(null, 0.061, null, 0.055, Map.of()));
        measures.put("x2-no-wd/seed-1", measured(null, 0.059, null, 0.057, Map.of()));

        LockInSummary summary = LockInReproduction.summarize(outcome, List.of("train.eval-every=5"), measures);

        assertEquals(List.of("2 seeds per condition instead of 15", "train.eval-every=5"), summary.deviations());
        LockInSummary.ConditionSummary x2 = summary.conditions().getFirst();
        assertEquals(new Spread(2, 173.5, 173.25, 173.75), x2.fireStep().orElseThrow());
        assertEquals(305, x2.lateRatio().getAsDouble(), 1e-12);
        assertEquals(2, x2.grokked());
        assertEquals("2.0E-4", x2.weightDecay());
        assertEquals(305 / 1.3, summary.x2().orElseThrow().separation().getAsDouble(), 1e-9);
        assertEquals(34, summary.x2().orElseThrow().lag().orElseThrow().median(), 1e-12);
        assertEquals(2.1 / 2.0, summary.relu().orElseThrow().separation().getAsDouble(), 1e-12);
        Map<String, String> ours = ours(summary);
        assertEquals("2/2", ours.get("x² (L2 2e-4): detector fires"));
        assertEquals("173.5 (173.3–173.8)", ours.get("x²: fire epoch, median (IQR)"));
        assertEquals("0/2", ours.get("x² controls (no L2): detector fires"));
        assertEquals("234.6×", ours.get("x²: late separation (runs / controls)"));
        assertEquals("101", ours.get("x²: test acc ≥ 0.5 at epoch, median"));
        assertEquals("139.5", ours.get("x²: test acc ≥ 0.99 at epoch, median"));
        assertEquals("34", ours.get("x²: detector lag after t(0.99), median"));
        assertEquals("0/2", ours.get("ReLU (L2 2e-4): detector fires"));
        assertEquals("1.05×", ours.get("ReLU: late separation (runs / controls)"));
        assertEquals("1/2", ours.get("ReLU controls (no L2): detector fires"));
        assertEquals("2", ours.get("ReLU controls: late λ2/λ3, median"));
        assertTrue(summary.comparison().stream().anyMatch(c -> c.paper().equals("229×")));

        Map<String, String> level = summary.level().stream().collect(Collectors.toMap(PaperComparison::quantity,
                PaperComparison::ours));
        assertEquals("2/2", level.get("x² (L2 2e-4): ρ > 0.075 (runs)"));
        assertEquals("22.5 (21.3–23.8)", level.get("x²: ρ fire epoch, median (IQR)"));
        assertEquals("78.5 (76.8–80.3)", level.get("x²: ρ lead before t(0.5), median (IQR)")); // 102 − 20, 100 − 25
        assertEquals("0/2", level.get("x² controls (no L2): ρ > 0.075 (runs)"));
        assertEquals("0.061", level.get("x² controls: max ρ"));
        assertEquals("not measured", level.get("ReLU controls: ρ > 0.075 (runs)"));
        assertEquals("2/2, 27.5 (26.3–28.8)", level.get("x², centered reading: ρ fire epoch, median (IQR)"));
        assertEquals("0.057", level.get("x² controls, centered reading: max ρ"));
        LockInSummary.SignTestRow sign = summary.signTests().getFirst();
        assertEquals("x2", sign.condition());
        assertEquals(300, sign.epoch());
        assertEquals("0.985", sign.paper());
        assertEquals(2, sign.runs());
        assertEquals(0.99, sign.score().orElseThrow().median(), 1e-12);
        assertEquals(0.97, sign.repulsive().orElseThrow().median(), 1e-12);
        assertEquals(1, summary.signTests().size());
    }

    /** A run's measures: ρ's fire step (null: never) and max in either reading, every 5 epochs from 0. */
    private static LockInMeasures measured(Long fire, double max, Long centeredFire, double centeredMax,
                                           Map<Long, LockInMeasures.SignScores> signs) {
        return new LockInMeasures(Optional.of(trace(fire, max)), Optional.of(trace(centeredFire, centeredMax)),
                new LinkedHashMap<>(signs));
    }

    private static LevelTrace trace(Long fire, double max) {
        return new LevelTrace(fire == null ? OptionalLong.empty() : OptionalLong.of(fire), max, 0, 5);
    }

    @Test
    void marksWhatWasNotRun() {
        SweepPlan plan = plan(LockInReproduction.spec().withSeeds(List.of(0L)).withConditions(List.of("x2", "x2-no-wd")));
        SweepOutcome outcome = SweepOutcome.of(plan, Outcomes.rows(plan, Outcomes.result(180L, 250, 100L, 140L, 1.0),
                Outcomes.result(null, 1.25, null, null, 0.1)), Map.of());

        LockInSummary summary = LockInReproduction.summarize(outcome, List.of(), Map.of());

        assertEquals(List.of("1 seed per condition instead of 15", "conditions x2, x2-no-wd only"), summary.deviations());
        assertTrue(summary.relu().isEmpty());
        assertEquals("not run", ours(summary).get("ReLU (L2 2e-4): detector fires"));
        assertEquals("200×", ours(summary).get("x²: late separation (runs / controls)"));
    }

    @Test
    void formatsNumbersWithAtMostThreeSignificantDigits() {
        assertEquals("174", LockInReproduction.number(174));
        assertEquals("173.5", LockInReproduction.number(173.5));
        assertEquals("1.31", LockInReproduction.number(1.3100001));
        assertEquals("229.4", LockInReproduction.number(229.4));
        assertEquals("300", LockInReproduction.number(300.04));
        assertEquals("0.0213", LockInReproduction.number(0.02134));
        assertEquals("0", LockInReproduction.number(0));
    }
}
