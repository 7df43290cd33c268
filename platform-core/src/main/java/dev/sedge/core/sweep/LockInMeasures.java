package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Provenance;
import dev.sedge.core.Progress;
import dev.sedge.core.SedgeVersion;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelMetric;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.repulsion.RepulsionJob;
import dev.sedge.core.repulsion.RepulsionSignTest;
import dev.sedge.core.run.InputDigests;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLock;
import dev.sedge.core.run.ProvenanceJson;
import dev.sedge.core.run.VersionedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * What the lock-in reproduction measures on a run beyond the sweep's result: the level metric ρ's
 * trace in both readings (from the run's {@code metrics.csv}, columns {@value LevelTrace#COLUMN} and
 * {@value LevelTrace#CENTERED_COLUMN}) and the repulsion sign test at checkpoints (computed once and
 * kept in the run folder as {@code sign-test.json}).
 *
 * @param level         ρ in the paper code's reading ({@link LevelMetric.Reading#RAW}); empty when not measured
 * @param levelCentered ρ in the paper text's reading ({@link LevelMetric.Reading#CENTERED}); empty when not measured
 * @param signTests     step → the sign test's scores, in step order; copied
 */
public record LockInMeasures(Optional<LevelTrace> level, Optional<LevelTrace> levelCentered,
                             SequencedMap<Long, SignScores> signTests) {

    /** The file a run's sign tests are kept in, beside its {@code result.json}. */
    public static final String SIGN_TEST_FILE = "sign-test.json";

    /** The format of {@link #SIGN_TEST_FILE} this build writes: 2 names its version {@code format_version}. */
    static final int SIGN_TEST_VERSION = 2;

    public LockInMeasures {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(levelCentered, "levelCentered");
        signTests = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(signTests));
    }

    /**
     * A sign test's two scores ({@link RepulsionSignTest.Result}).
     *
     * @param signMatch         the sign match of the theorem's two sides
     * @param repulsiveFraction the share of the pairs with B_jl &lt; 0
     */
    public record SignScores(double signMatch, double repulsiveFraction) {
    }

    /** No measurement: a failed run. */
    static LockInMeasures none() {
        return new LockInMeasures(Optional.empty(), Optional.empty(), new LinkedHashMap<>());
    }

    /**
     * The level traces of a finished run.
     *
     * @param metrics the run's metrics.csv
     */
    static LockInMeasures level(Path metrics) {
        MetricsTable table = MetricsCsv.read(metrics);
        return new LockInMeasures(LevelTrace.of(table, LevelMetric.Reading.RAW),
                LevelTrace.of(table, LevelMetric.Reading.CENTERED), new LinkedHashMap<>());
    }

    /** These measures with sign tests. */
    LockInMeasures withSignTests(SequencedMap<Long, SignScores> scores) {
        return new LockInMeasures(level, levelCentered, scores);
    }

    /**
     * The sign tests of {@code run} at those of {@code steps} it has checkpoints for: read from its
     * {@link #SIGN_TEST_FILE} when that holds them, else computed (and the file written atomically).
     */
    static SequencedMap<Long, SignScores> signTests(PlannedRun run, List<Long> steps, PluginRegistry registry,
                                                Progress progress) {
        Path file = run.directory().resolve(SIGN_TEST_FILE);
        SequencedMap<Long, SignScores> kept = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (JsonNode s : VersionedJson.read(file, "sign test", SIGN_TEST_VERSION).path("steps")) {
                if (s.has("repulsive_fraction")) { // a file from before the repulsive fraction: computed again
                    kept.put(s.path("step").asLong(), new SignScores(s.path("sign_match").asDouble(),
                            s.path("repulsive_fraction").asDouble()));
                }
            }
        }
        List<Long> present = steps.stream().filter(s -> Files.isRegularFile(run.layout().checkpoint(s))).toList();
        if (kept.keySet().containsAll(present)) {
            SequencedMap<Long, SignScores> out = new LinkedHashMap<>();
            present.forEach(s -> out.put(s, kept.get(s)));
            return out;
        }
        try (RunLock lock = RunLock.acquire(run.directory(), "sedge reproduce lock-in (sign tests)")) {
            return computeSignTests(run, lock.layout().root().resolve(SIGN_TEST_FILE), present, registry, progress);
        }
    }

    private static SequencedMap<Long, SignScores> computeSignTests(PlannedRun run, Path file, List<Long> present,
                                                                   PluginRegistry registry, Progress progress) {
        List<RepulsionJob.StepResult> results = new RepulsionJob(registry).run(
                new RepulsionJob.Request(run.directory(), present, "", RepulsionSignTest.DEFAULT_PAIRS), progress);
        ObjectNode root = VersionedJson.object(SIGN_TEST_VERSION);
        root.put("run", run.id());
        ArrayNode array = root.putArray("steps");
        SequencedMap<Long, SignScores> out = new LinkedHashMap<>();
        for (RepulsionJob.StepResult r : results) {
            ObjectNode node = array.addObject().put("step", r.step()).put("probe", r.probe());
            r.result().toMap().forEach((k, v) -> node.set(k, v instanceof Integer i ? root.numberNode(i)
                    : root.numberNode(((Number) v).doubleValue())));
            out.put(r.step(), new SignScores(r.result().score(), r.result().repulsiveFraction()));
        }
        List<Path> inputs = new ArrayList<>(List.of(run.layout().manifest()));
        present.forEach(step -> inputs.add(run.layout().checkpoint(step)));
        root.set("provenance", ProvenanceJson.of(Provenance.now(SedgeVersion.current(), Map.of(),
                Map.of("repulsion.pairs", Integer.toString(RepulsionSignTest.DEFAULT_PAIRS)), 0,
                InputDigests.of(run.directory(), inputs))));
        VersionedJson.write(file, root);
        return out;
    }
}
