package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.core.detect.Confusion;
import dev.sedge.core.detect.EvaluationReport;
import dev.sedge.core.detect.Spread;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelTrace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation: known run outcomes give a known results table and evaluation. */
class ResultsFilesTests {

    private static final double EXACT = 1e-12;
    private static final String SPEC = """
            {"set": {"train.steps": 400},
             "conditions": [{"name": "x2"}, {"name": "x2-no-wd", "set": {"optimizer.weight-decay": 0}}],
             "controls": {"optimizer.weight-decay": [0]},
             "groups": ["architecture.activation"],
             "seeds": 2,
             "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""";

    @TempDir
    static Path dir;

    private static SweepPlan plan;

    @BeforeAll
    static void plan() {
        plan = SweepPlan.of(SweepSpec.parse(SPEC, dir, "test"), Path.of("out"), PluginRegistry.load(dir.resolve("none")));
    }

    /** Two grokking runs firing 35 steps after t99; one silent control, one false alarm late. */
    private static SweepOutcome outcome() {
        return SweepOutcome.of(plan, Outcomes.rows(plan,
                Outcomes.result(174L, 300, 100L, 139L, 1.0),
                Outcomes.result(176L, 280, 104L, 141L, 1.0),
                Outcomes.result(null, 1.3, 60L, null, 0.75),
                Outcomes.result(398L, 1.32, null, null, 0.25)), Map.of());
    }

    @Test
    void writesOneCsvRowPerRunWithItsValuesAndTheDetectorsColumns() {
        String expected = """
                run,condition,control,optimizer.weight-decay,seed,status,grokked_50,grokked_95,grokked_99,t50,t95,t99,\
                final_test_acc,eigengap-slope.fire_step,eigengap-slope.late_ratio,wall_seconds,mode,failure
                x2/seed-0,x2,false,2.0E-4,0,ok,true,true,true,100,130,139,1.0,174,300.0,75.0,trained,
                x2/seed-1,x2,false,2.0E-4,1,ok,true,true,true,104,132,141,1.0,176,280.0,75.0,trained,
                x2-no-wd/seed-0,x2-no-wd,true,0.0,0,ok,true,false,false,60,,,0.75,,1.3,75.0,trained,
                x2-no-wd/seed-1,x2-no-wd,true,0.0,1,ok,false,false,false,,,,0.25,398,1.32,75.0,trained,
                """;

        assertEquals(expected, ResultsFiles.csv(outcome()));
    }

    @Test
    void addsTheLevelColumnsWhenAnyRunMeasuredRho() {
        RunResult measured = Outcomes.result(174L, 300, 100L, 139L, 1.0);
        RunResult withLevel = new RunResult(measured.steps(), measured.finalTestAccuracy(), measured.crossings(),
                measured.detectors(), Optional.of(new LevelTrace(OptionalLong.of(15), 0.1234, 0, 5)),
                measured.execution());
        RunResult silent = new RunResult(measured.steps(), measured.finalTestAccuracy(), measured.crossings(),
                measured.detectors(), Optional.of(new LevelTrace(OptionalLong.empty(), 0.0612, 0, 5)),
                measured.execution());
        SweepOutcome outcome = SweepOutcome.of(plan, Outcomes.rows(plan, withLevel, silent,
                Outcomes.result(null, 1.3, 60L, null, 0.75), Outcomes.result(null, 1.3, 60L, null, 0.75)), Map.of());

        List<String> lines = ResultsFiles.csv(outcome).lines().toList();

        assertTrue(lines.getFirst().endsWith(",level_rho.fire_step,level_rho.max,wall_seconds,mode,failure"),
                lines.getFirst());
        assertTrue(lines.get(1).endsWith(",15,0.1234,75.0,trained,"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",,0.0612,75.0,trained,"), lines.get(2));
        assertTrue(lines.get(3).endsWith(",,,75.0,trained,"), "not measured: " + lines.get(3));
        assertFalse(ResultsFiles.csv(outcome()).contains("level_rho"), "no column when no run measured rho");
    }

    @Test
    void evaluatesTheDetectorAgainstTheControls() {
        SweepEvaluation e = outcome().evaluations().getFirst();
        EvaluationReport all = e.all();

        assertEquals(new Confusion(2, 1, 1, 0), all.confusion());
        assertEquals(new Spread(2, 175, 174.5, 175.5), all.fireStep().orElseThrow());
        assertEquals(35, all.lags().get(2).lag().orElseThrow().median(), EXACT);
        assertEquals(0.99, all.lags().get(2).threshold(), EXACT);
        assertEquals(1.0, all.auroc().orElseThrow().value(), EXACT);
        assertEquals(290 / 1.31, all.separation().getAsDouble(), 1e-9);
        assertEquals(List.of("architecture.activation=square"), List.copyOf(e.groups().keySet()));
        assertEquals(all, e.groups().get("architecture.activation=square"));
        assertEquals(List.of("x2", "x2-no-wd"), List.copyOf(e.conditions().keySet()));
        assertTrue(e.conditions().get("x2").separation().isEmpty(), "one condition holds one class only");
    }

    @Test
    void writesTheRowsFailuresAndEvaluationAsJson() throws Exception {
        List<SweepRow> rows = new ArrayList<>(outcome().rows().subList(0, 3));
        rows.add(SweepRow.of(plan.runs().get(3), new RunFailure("x2-no-wd/seed-1", "exit code 5: NaN", Path.of("x.log"),
                OptionalInt.of(5), Optional.empty())));
        JsonNode json = new ObjectMapper().readTree(ResultsFiles.json(SweepOutcome.of(plan, rows, Map.of())));

        assertEquals(ResultsFiles.FORMAT_VERSION, json.get("format_version").asInt());
        assertEquals(4, json.get("runs").size());
        JsonNode first = json.get("runs").get(0);
        assertEquals("x2/seed-0", first.get("run").asText());
        assertEquals(139, first.get("t99").asLong());
        assertEquals(174, first.at("/detectors/eigengap-slope/fire_step").asLong());
        assertTrue(json.get("runs").get(2).at("/detectors/eigengap-slope/fire_step").isNull());
        assertEquals("failed", json.get("runs").get(3).get("status").asText());
        assertEquals(5, json.at("/failures/0/exit_code").asInt());
        JsonNode all = json.at("/evaluation/eigengap-slope/all");
        assertEquals(3, all.get("runs").asInt(), "the failed run is left out");
        assertEquals(2, all.at("/confusion/tp").asInt());
        assertEquals(0, all.at("/confusion/fp").asInt());
        assertEquals(175, all.at("/fire_step/median").asDouble(), EXACT);
        assertEquals(290 / 1.3, all.get("separation").asDouble(), 1e-9);
        assertEquals("late_ratio", json.at("/evaluation/eigengap-slope/statistic").asText());
        assertEquals(true, json.at("/conditions/1/control").asBoolean());
    }

    @Test
    void quotesCellsHoldingACommaAndNamesCrossingColumns() {
        assertEquals("t50", ResultsFiles.crossingColumn(0.5));
        assertEquals("t99", ResultsFiles.crossingColumn(0.99));
        SweepPlan listed = SweepPlan.of(SweepSpec.parse("""
                {"grid": {"detectors": ["eigengap-slope,bbp"]}, "detectors": ["eigengap-slope"]}""", dir, "test"),
                Path.of("out"), PluginRegistry.load(dir.resolve("none")));
        String csv = ResultsFiles.csv(SweepOutcome.of(listed, Outcomes.rows(listed,
                Outcomes.result(174L, 300, 100L, 139L, 1.0)), Map.of()));

        assertTrue(csv.lines().toList().get(1).contains(",\"eigengap-slope,bbp\","), csv);
    }
}
