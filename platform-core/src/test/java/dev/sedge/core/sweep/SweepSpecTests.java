package dev.sedge.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and planning a sweep spec against the built-in plugins; nothing trains. */
class SweepSpecTests {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static PluginRegistry registry;

    @BeforeAll
    static void loadPlugins() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
    }

    private static SweepSpec spec(String json) {
        return SweepSpec.parse(json, Path.of("."), "test.json");
    }

    private SweepPlan plan(String json) {
        return SweepPlan.of(spec(json), dir.resolve("out"), registry);
    }

    private static ConfigException refused(String json) {
        return assertThrows(ConfigException.class, () -> spec(json));
    }

    /** A fuzzer's find: a number whose plain form has 10^12 digits was expanded until the heap ran out. */
    @Test
    void refusesANumberThatWouldTakeMoreThan400DigitsToWriteOut() {
        ConfigException e = refused("{\"set\": {\"train.steps\": 31e1000000000}}");
        assertTrue(e.getMessage().contains("train.steps") && e.getMessage().contains("more than 400 digits"),
                e.getMessage());
        ConfigException tiny = refused("{\"set\": {\"optimizer.learning-rate\": 1e-1000}}");
        assertTrue(tiny.getMessage().contains("optimizer.learning-rate"), tiny.getMessage());
    }

    @Test
    void expandsTheGridAsACartesianProductWithTheLastKeyVaryingFastest() {
        SweepPlan plan = plan("""
                {"grid": {"architecture.activation": ["square", "relu"], "optimizer.weight-decay": [2e-4, 0]},
                 "seeds": 2}""");

        assertEquals(List.of("activation-square_weight-decay-0.0002", "activation-square_weight-decay-0",
                "activation-relu_weight-decay-0.0002", "activation-relu_weight-decay-0"),
                plan.conditions().stream().map(Condition::slug).toList());
        assertEquals(8, plan.runs().size());
        assertEquals("activation-square_weight-decay-0.0002/seed-1", plan.runs().get(1).id());
        assertEquals(dir.resolve("out/activation-relu_weight-decay-0/seed-0"), plan.runs().get(6).directory());
        assertEquals(List.of("architecture.activation", "optimizer.weight-decay"), plan.factors());
        assertEquals("relu", plan.conditions().get(3).values().get("architecture.activation"));
        assertEquals("0.0", plan.runs().get(7).experiment().effective().get("optimizer.weight-decay"));
        assertEquals("1", plan.runs().get(7).experiment().effective().get("seed"));
    }

    @Test
    void multipliesExplicitConditionsByTheGrid() {
        SweepPlan plan = plan("""
                {"conditions": [{"name": "x2", "set": {"architecture": {"activation": "square"}}},
                                {"name": "relu", "set": {"architecture.activation": "relu", "train.steps": 800}}],
                 "grid": {"task.p": [11, 13]}}""");

        assertEquals(List.of("x2_p-11", "x2_p-13", "relu_p-11", "relu_p-13"),
                plan.conditions().stream().map(Condition::slug).toList());
        assertEquals(800, plan.run("relu_p-13/seed-0").steps());
        assertEquals(400, plan.run("x2_p-11/seed-0").steps());
        assertEquals(List.of("architecture.activation", "train.steps", "task.p"), plan.factors());
    }

    @Test
    void withoutConditionsOrGridRunsTheBaseOnce() {
        SweepPlan plan = plan("{}");

        assertEquals(List.of("base/seed-0"), plan.runs().stream().map(PlannedRun::id).toList());
        assertEquals("all", plan.conditions().getFirst().group());
    }

    @Test
    void readsSeedsAsACountOrAList() {
        assertEquals(List.of(0L, 1L, 2L), spec("{\"seeds\": 3}").seeds());
        assertEquals(List.of(7L, 3L), spec("{\"seeds\": [7, 3]}").seeds());
        assertEquals(List.of(42L), spec("{\"set\": {\"seed\": 42}}").seeds(), "absent: the base's seed");
        assertEquals(List.of(0L, 1L), spec("{\"seeds\": [5]}").withSeeds(SweepSpec.firstSeeds(2)).seeds());
    }

    @Test
    void takesTheFirstSeedsOfAProtocolAndExtendsPastItsLargest() {
        SweepSpec paper = spec("{\"seeds\": [42, 137, 2024]}");
        assertEquals(List.of(42L), paper.withFirstSeeds(1).seeds());
        assertEquals(List.of(42L, 137L, 2024L), paper.withFirstSeeds(3).seeds());
        assertEquals(List.of(42L, 137L, 2024L, 2025L, 2026L), paper.withFirstSeeds(5).seeds());
        assertEquals(List.of(0L, 1L, 2L, 3L), spec("{\"seeds\": 2}").withFirstSeeds(4).seeds(), "0..1 becomes 0..3");
        assertThrows(ConfigException.class, () -> paper.withFirstSeeds(0));
    }

    @Test
    void shortensGridKeysToTheirLastSegmentUnlessTwoShareIt() {
        SweepPlan plan = plan("""
                {"grid": {"detector.eigengap-slope.threshold": [0.04], "detector.g23-decline.threshold": [1.5],
                          "detector.eigengap-slope.lag": [25]},
                 "detectors": ["eigengap-slope", "g23-decline"]}""");

        assertEquals("detector-eigengap-slope-threshold-0.04_detector-g23-decline-threshold-1.5_lag-25",
                plan.conditions().getFirst().slug());
    }

    @Test
    void replacesCharactersUnsafeInAFolderName() {
        var point = new java.util.LinkedHashMap<>(Map.of("spectrum.group", "layer*/1"));

        assertEquals("x2_group-layer--1", Slugs.of("x2", List.of("spectrum.group"), point));
        assertEquals("group-layer--1", Slugs.of(null, List.of("spectrum.group"), point));
    }

    @Test
    void addsEveryEvaluatedDetectorToTheLiveDetectors() {
        SweepPlan plan = plan("""
                {"set": {"detectors": ["bbp"]}, "detectors": [{"name": "eigengap-slope", "statistic": "late_ratio"}]}""");

        assertEquals("bbp,eigengap-slope", plan.runs().getFirst().experiment().effective().get("detectors"));
        assertEquals("late_ratio", plan.spec().detectors().getFirst().statistic().orElseThrow());
    }

    @Test
    void marksControlsByValueComparingNumbersAsNumbers() {
        SweepPlan plan = plan("""
                {"conditions": [{"name": "a", "set": {"optimizer.weight-decay": 0.0002}},
                                {"name": "b", "set": {"optimizer.weight-decay": 0}},
                                {"name": "c", "set": {"optimizer.weight-decay": 0.0}, "control": false}],
                 "controls": {"optimizer.weight-decay": [0]}}""");

        assertEquals(List.of(false, true, false), plan.conditions().stream().map(Condition::control).toList());
    }

    @Test
    void groupsConditionsByTheValuesOfTheGroupKeys() {
        SweepPlan plan = plan("""
                {"grid": {"architecture.activation": ["square", "relu"], "optimizer.weight-decay": [2e-4, 0]},
                 "groups": ["architecture.activation"]}""");

        assertEquals(List.of("architecture.activation=square", "architecture.activation=square",
                "architecture.activation=relu", "architecture.activation=relu"),
                plan.conditions().stream().map(Condition::group).toList());
    }

    @Test
    void takesTheBaseFromAConfigFileNextToTheSpec() throws IOException {
        Files.writeString(dir.resolve("small.json"), """
                {"task": {"name": "mod-add", "p": 11, "train-size": 60}, "architecture": {"name": "mlp2", "hidden": 64},
                 "optimizer": {"name": "adam"}, "train": {"steps": 40}}""");
        Files.writeString(dir.resolve("sweep.json"), "{\"base\": \"small.json\", \"set\": {\"train.steps\": 30}}");

        SweepPlan plan = SweepPlan.of(SweepSpec.read(dir.resolve("sweep.json")), dir.resolve("out"), registry);

        assertEquals("11", plan.runs().getFirst().experiment().effective().get("task.p"));
        assertEquals(30, plan.runs().getFirst().steps());
    }

    @Test
    void refusesANumberNoDecimalCanHold() { // found by fuzzing (fuzz/regressions/sweep-spec)
        ConfigException e = refused("{\"seeds\": [1e10000005555555555555542, 1]}");
        assertTrue(e.getMessage().startsWith("sweep spec test.json holds a number out of any range"), e.getMessage());
    }

    @Test
    void refusesAnUnknownConfigKeyNamingItAndTheCondition() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("""
                {"conditions": [{"name": "fine", "set": {"train.steps": 10}},
                                {"name": "typo", "set": {"optimizer.weight-decy": 0}}]}"""));

        assertTrue(e.getMessage().contains("'typo'") && e.getMessage().contains("weight-decy"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing is written");
    }

    @Test
    void refusesABadValueInAnyGridPoint() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan(
                "{\"grid\": {\"train.steps\": [10, 0]}}"));

        assertTrue(e.getMessage().contains("steps-0") && e.getMessage().contains("train.steps"), e.getMessage());
    }

    @Test
    void refusesControlAndGroupKeysThatAreNoConfigurationKey() {
        ConfigException controls = assertThrows(ConfigException.class, () -> plan(
                "{\"controls\": {\"optimizer.wd\": [0]}}"));
        ConfigException groups = assertThrows(ConfigException.class, () -> plan("{\"groups\": [\"activation\"]}"));

        assertTrue(controls.getMessage().contains("'optimizer.wd'") && controls.getMessage().contains("controls"),
                controls.getMessage());
        assertTrue(groups.getMessage().contains("'activation'") && groups.getMessage().contains("architecture.activation"),
                groups.getMessage());
    }

    @Test
    void namesTheKeyOfEveryMalformedSpec() {
        assertTrue(refused("{\"gird\": {}}").getMessage().contains("'gird'"));
        assertTrue(refused("{\"grid\": {\"task.p\": 11}}").getMessage().contains("'grid.task.p'"));
        assertTrue(refused("{\"grid\": {\"task.p\": []}}").getMessage().contains("'task.p' lists no value"));
        assertTrue(refused("{\"grid\": {\"seed\": [1, 2]}}").getMessage().contains("'seeds'"));
        assertTrue(refused("{\"seeds\": 0}").getMessage().contains("'seeds'"));
        assertTrue(refused("{\"seeds\": [1, 1]}").getMessage().contains("distinct"));
        assertTrue(refused("{\"conditions\": [{\"set\": {}}]}").getMessage().contains("'conditions[0].name'"));
        assertTrue(refused("{\"conditions\": [{\"name\": \"a/b\"}]}").getMessage().contains("'conditions[0].name'"));
        assertTrue(refused("{\"conditions\": [{\"name\": \"a\", \"contol\": true}]}").getMessage()
                .contains("'conditions[0].contol'"));
        assertTrue(refused("{\"conditions\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}").getMessage()
                .contains("named twice"));
        assertTrue(refused("{\"conditions\": [{\"name\": \"a\", \"set\": {\"task.p\": 11}}], \"grid\": {\"task.p\": [13]}}")
                .getMessage().contains("'task.p' is set both by condition 'a' and by the grid"));
        assertTrue(refused("{\"detectors\": [{\"name\": \"bbp\", \"stat\": \"x\"}]}").getMessage()
                .contains("'detectors[0].stat'"));
        // found by the sweep-spec fuzz target (fuzz/regressions/sweep-spec/blank-detector-name.json)
        assertTrue(refused("{\"detectors\": [\"\"]}").getMessage().contains("'detectors[0]'"));
        assertTrue(refused("{\"detectors\": [\"bbp\", {\"name\": \" \"}]}").getMessage().contains("'detectors[1]'"));
        assertTrue(refused("{\"grid\": {\"task.p\": [{\"a\": 1}]}}").getMessage().contains("'grid.task.p'"));
        assertTrue(refused("[1]").getMessage().contains("must be a JSON object"));
        assertTrue(refused("{\"seeds\": ").getMessage().contains("not valid JSON"));
    }

    @Test
    void refusesTwoConditionsWithTheSameFolder() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan(
                "{\"grid\": {\"spectrum.group\": [\"a/1\", \"a*1\"]}}"));

        assertTrue(e.getMessage().contains("folder name"), e.getMessage());
    }

    @Test
    void appliesCommandLineOverridesToEveryConditionOverItsOwnKeys() {
        SweepSpec spec = LockInReproduction.spec().withOverrides(List.of("train.steps=50", "train.eval-every=5"));
        SweepPlan plan = SweepPlan.of(spec, dir.resolve("out"), registry);

        assertTrue(plan.runs().stream().allMatch(r -> r.steps() == 50), "relu's own 800 is overridden too");
        assertEquals("5", plan.run("relu/seed-0").experiment().effective().get("train.eval-every"));
        assertEquals(List.of("architecture.activation", "optimizer.weight-decay", "train.checkpoint-every",
                "train.level-every"), plan.factors(), "every key the conditions set differently");
    }

    @Test
    void refusesOverridesOfTheSeedOrAGridKey() {
        SweepSpec grid = spec("{\"grid\": {\"task.p\": [11, 13]}}");

        assertTrue(assertThrows(ConfigException.class, () -> grid.withOverrides(List.of("task.p=17"))).getMessage()
                .contains("which the grid varies"));
        assertTrue(assertThrows(ConfigException.class, () -> grid.withOverrides(List.of("seed=3"))).getMessage()
                .contains("--seeds"));
        assertTrue(assertThrows(ConfigException.class, () -> grid.withOverrides(List.of("task.p"))).getMessage()
                .contains("key=value"));
    }

    @Test
    void selectsExplicitConditionsByName() {
        SweepSpec spec = LockInReproduction.spec().withConditions(List.of("x2-no-wd", "x2"));

        assertEquals(List.of("x2", "x2-no-wd"), spec.conditions().stream().map(ConditionSpec::name).toList());
        ConfigException e = assertThrows(ConfigException.class,
                () -> LockInReproduction.spec().withConditions(List.of("x3")));
        assertTrue(e.getMessage().contains("'x3'") && e.getMessage().contains("relu-no-wd"), e.getMessage());
    }

    @Test
    void theLockInProtocolIsFourConditionsOfFifteenSeeds() {
        SweepPlan plan = SweepPlan.of(LockInReproduction.spec(), dir.resolve("lock-in"), registry);

        assertEquals(LockInReproduction.CONDITIONS, plan.conditions().stream().map(Condition::slug).toList());
        assertEquals(60, plan.runs().size());
        assertEquals(List.of(false, true, false, true), plan.conditions().stream().map(Condition::control).toList());
        assertEquals(List.of(400L, 400L, 800L, 800L),
                plan.conditions().stream().map(c -> plan.run(c.slug() + "/seed-0").steps()).toList());
        Map<String, String> x2 = plan.run("x2/seed-14").experiment().effective();
        assertEquals("square", x2.get("architecture.activation"));
        assertEquals("2.0E-4", x2.get("optimizer.weight-decay"));
        assertEquals("eigengap-slope", x2.get("detectors"));
        assertEquals("71", x2.get("task.p"));
        assertEquals("relu", plan.run("relu-no-wd/seed-0").experiment().effective().get("architecture.activation"));
        assertFalse(plan.conditions().getFirst().source().values().containsKey("seed"));
    }
}
