package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.Progress;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.repulsion.LevelTrace;
import dev.sedge.core.repulsion.RepulsionJob;
import dev.sedge.core.repulsion.RepulsionSignTest;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.VersionedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * What the lock-in reproduction measures on a run beyond the sweep's result: the level metric ρ's
 * trace (from the run's {@code metrics.csv}, column {@code level_rho}) and the repulsion sign test at
 * checkpoints (computed once and kept in the run folder as {@code sign-test.json}).
 *
 * @param levelFireStep the first evaluated step with ρ &gt; {@link LevelMetric#THRESHOLD}; empty: never
 * @param levelMax      the largest ρ measured; empty when ρ was not measured
 * @param levelEvery    the steps between ρ measurements (the fire step's resolution); 0 when not measured
 * @param signMatch     step → sign-match score, in step order; copied
 */
public record LockInMeasures(OptionalLong levelFireStep, OptionalDouble levelMax, long levelEvery,
                             SequencedMap<Long, Double> signMatch) {

    /** The file a run's sign tests are kept in, beside its {@code result.json}. */
    public static final String SIGN_TEST_FILE = "sign-test.json";

    public LockInMeasures {
        Objects.requireNonNull(levelFireStep, "levelFireStep");
        Objects.requireNonNull(levelMax, "levelMax");
        signMatch = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(signMatch));
    }

    /** No measurement: a failed run. */
    static LockInMeasures none() {
        return new LockInMeasures(OptionalLong.empty(), OptionalDouble.empty(), 0, new LinkedHashMap<>());
    }

    /**
     * The level trace of a finished run.
     *
     * @param metrics the run's metrics.csv
     */
    static LockInMeasures level(Path metrics) {
        return LevelTrace.of(MetricsCsv.read(metrics)).map(t -> new LockInMeasures(t.fireStep(),
                OptionalDouble.of(t.max()), t.every(), new LinkedHashMap<>())).orElse(none());
    }

    /** These measures with sign tests. */
    LockInMeasures withSignMatch(SequencedMap<Long, Double> scores) {
        return new LockInMeasures(levelFireStep, levelMax, levelEvery, scores);
    }

    /**
     * The sign tests of {@code run} at those of {@code steps} it has checkpoints for: read from its
     * {@link #SIGN_TEST_FILE} when that holds them, else computed (and the file written atomically).
     */
    static SequencedMap<Long, Double> signTests(PlannedRun run, List<Long> steps, PluginRegistry registry,
                                                Progress progress) {
        Path file = run.directory().resolve(SIGN_TEST_FILE);
        SequencedMap<Long, Double> kept = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (JsonNode s : VersionedJson.read(file, "sign test", 1).path("steps")) {
                kept.put(s.path("step").asLong(), s.path("sign_match").asDouble());
            }
        }
        List<Long> present = steps.stream().filter(s -> Files.isRegularFile(run.layout().checkpoint(s))).toList();
        if (kept.keySet().containsAll(present)) {
            SequencedMap<Long, Double> out = new LinkedHashMap<>();
            present.forEach(s -> out.put(s, kept.get(s)));
            return out;
        }
        List<RepulsionJob.StepResult> results = new RepulsionJob(registry).run(
                new RepulsionJob.Request(run.directory(), present, "", RepulsionSignTest.DEFAULT_PAIRS), progress);
        ObjectNode root = VersionedJson.object(1);
        root.put("run", run.id());
        ArrayNode array = root.putArray("steps");
        SequencedMap<Long, Double> out = new LinkedHashMap<>();
        for (RepulsionJob.StepResult r : results) {
            ObjectNode node = array.addObject().put("step", r.step()).put("probe", r.probe());
            r.result().toMap().forEach((k, v) -> node.set(k, v instanceof Integer i ? root.numberNode(i)
                    : root.numberNode(((Number) v).doubleValue())));
            out.put(r.step(), r.result().score());
        }
        VersionedJson.write(file, root);
        return out;
    }
}
