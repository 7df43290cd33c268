package dev.sedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.Progress;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.explain.Ablation;
import dev.sedge.core.explain.BasisScore;
import dev.sedge.core.explain.ExplainJob;
import dev.sedge.core.explain.GradientSplit;
import dev.sedge.core.explain.PerturbationCurve;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.RunLayout;
import dev.sedge.spectral.SpectralOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sedge explain} on a real run: mlp2 (K = 32) on (a + b) mod 11, 60 full-batch Adam steps with
 * weight decay, a checkpoint every 5. The window's v_1 and its functional mode are recomputed here
 * independently (power iteration on the update matrix in double, the model's own outputs) and must
 * agree with what the job scored.
 */
class ExplainJobTests {

    @TempDir
    static Path shared;

    private static PluginRegistry registry;
    private static Path run;

    @BeforeAll
    static void train() {
        registry = PluginRegistry.load(shared.resolve("no-plugins"));
        run = shared.resolve("run");
        Experiment experiment = Experiment.resolve(ConfigSource.defaults().with(List.of("seed=5", "task.name=mod-add",
                "task.p=11", "task.train-size=80", "architecture.name=mlp2", "architecture.hidden=32",
                "optimizer.name=adam", "optimizer.learning-rate=0.01", "optimizer.weight-decay=0.001",
                "train.steps=60", "train.batch-size=0", "train.eval-every=10", "train.checkpoint-every=5",
                "spectrum.window=4", "detectors=")), registry);
        Trainer.run(experiment, run, TrainOptions.defaults());
    }

    private static ExplainJob.Result explain(long step, int window, int directions) {
        return new ExplainJob(registry).run(new ExplainJob.Request(run, step, "layer1", SpectralOptions.of(window),
                directions, "", List.of("fourier", "dlog"), Map.of(), 49, 3), Progress.NONE);
    }

    @Test
    void scoresTheFunctionalModeOfV1ThatAnIndependentComputationGives() throws IOException {
        ExplainJob.Result result = explain(60, 4, 2);

        assertEquals(List.of(40L, 45L, 50L, 55L, 60L), result.window().steps());
        assertEquals(2, result.directions().size());
        double[] v = topRightSingularVector(result.window().steps(), result.window().tensors());
        float[] jobV = result.window().direction(1);
        double cos = 0;
        for (int i = 0; i < v.length; i++) {
            cos += v[i] * jobV[i];
        }
        assertEquals(1.0, Math.abs(cos), 1e-4, "v_1 of the window: power iteration agrees");
        double sign = Math.signum(cos);

        try (CheckpointModel model = CheckpointModel.open(run, registry, 60)) {
            int[] tokens = model.data().tokens();
            String probe = model.outputs().getFirst();
            assertEquals(probe, result.probe());
            List<Tensor> theta = model.checkpoint();
            double epsilon = 0.005 * layer1Norm(theta);
            assertEquals(epsilon, result.epsilon(), 1e-9 * epsilon);
            List<Tensor> moved = along(theta, v, epsilon * sign);
            Activations base = model.apply(theta, tokens, probe);
            Activations after = model.apply(moved, tokens, probe);
            double[] f = new double[base.rows()];
            for (int i = 0; i < f.length; i++) {
                for (int j = 0; j < base.width(); j++) {
                    double d = after.values()[i * base.width() + j] - base.values()[i * base.width() + j];
                    f[i] += d * d;
                }
            }
            FunctionalBasis fourier = registry.get(FunctionalBasis.class, "fourier");
            ModeSpectrum expected = fourier.create(PluginConfig.defaults("basis.fourier", fourier.descriptor()),
                    model.data().domain()).orElseThrow().project(f);
            BasisScore scored = result.directions().getFirst().scores().stream()
                    .filter(s -> s.basis().equals("fourier")).findFirst().orElseThrow();
            assertEquals(expected.concentration(), scored.concentration(), 1e-3 * expected.concentration());
            assertEquals(expected.labels().get(expected.peak()), scored.peak());
        }
    }

    @Test
    void ablatesTheEdgeAsAnIndependentProjectionDoesAndComparesRandomPlanes() {
        ExplainJob.Result result = explain(60, 4, 2);
        Ablation ablation = result.ablation();

        try (CheckpointModel model = CheckpointModel.open(run, registry, 60)) {
            TaskData data = model.data();
            int[] test = data.test();
            List<Tensor> theta = model.checkpoint();
            double[][] v = {unit(result.window().direction(1)), unit(result.window().direction(2))};
            List<double[]> group = new ArrayList<>();
            double[] dots = new double[2];
            for (Tensor t : theta) {
                if (t.info().name().startsWith("layer1")) {
                    float[] x = t.floats();
                    double[] d = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        d[i] = x[i];
                    }
                    group.add(d);
                }
            }
            double[] flat = group.stream().flatMapToDouble(Arrays::stream).toArray();
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < flat.length; i++) {
                    dots[k] += flat[i] * v[k][i];
                }
            }
            List<Tensor> ablated = new ArrayList<>();
            int offset = 0;
            for (Tensor t : theta) {
                if (!t.info().name().startsWith("layer1")) {
                    ablated.add(t);
                    continue;
                }
                float[] x = new float[t.floats().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (flat[offset + i] - dots[0] * v[0][offset + i] - dots[1] * v[1][offset + i]);
                }
                offset += x.length;
                ablated.add(Tensor.ofFloats(t.info().name(), t.info().dtype(), t.info().shape(), x));
            }
            Activations logitsBefore = model.apply(theta, data.tokens(test), "logits");
            Activations logitsAfter = model.apply(ablated, data.tokens(test), "logits");
            double before = accuracy(logitsBefore, data.labels(0), test);
            double after = accuracy(logitsAfter, data.labels(0), test);
            double lossBefore = crossEntropy(logitsBefore, data.labels(0), test);
            double lossAfter = crossEntropy(logitsAfter, data.labels(0), test);

            assertEquals(before, ablation.accuracy(), 1e-12);
            assertEquals(lossBefore, ablation.loss(), 1e-9 * lossBefore);
            Ablation.Change edge = ablation.edge().orElseThrow();
            assertEquals(after - before, edge.accuracy(), 1.0 / test.length, "at most one test pair decided otherwise");
            assertEquals(lossAfter - lossBefore, edge.loss(), 1e-4 * Math.abs(lossAfter - lossBefore) + 1e-7);
            assertTrue(ablation.bulk().isEmpty(), "2 directions: no bulk {v_3, v_4}");
            assertEquals(3, ablation.random().size());
        }
    }

    @Test
    void tracesAccuracyAndTheKlOfTheOutputsAlongEachDirection() {
        ExplainJob.Result result = explain(60, 4, 2);
        PerturbationCurve curve = result.directions().getFirst().curve();

        assertEquals(PerturbationCurve.STEPS, curve.epsilon().length);
        assertEquals(-0.03, curve.epsilon()[0], 1e-15);
        assertEquals(0.03, curve.epsilon()[24], 1e-15);
        assertEquals(0.0, curve.epsilon()[12], 1e-15);
        assertEquals(0.0, curve.kl()[12], 1e-12, "no step, no change");
        assertEquals(result.ablation().accuracy(), curve.accuracy()[12], 1e-12);
        for (double kl : curve.kl()) {
            assertTrue(kl >= -1e-12, "KL >= 0: " + kl);
        }
        try (CheckpointModel model = CheckpointModel.open(run, registry, 60)) {
            TaskData data = model.data();
            int[] tokens = data.tokens(data.test());
            double[] v = unit(result.window().direction(1));
            List<Tensor> moved = along(model.checkpoint(), v, 0.03);
            Activations p = model.apply(model.checkpoint(), tokens, "logits");
            Activations q = model.apply(moved, tokens, "logits");
            double kl = 0;
            for (int i = 0; i < p.rows(); i++) {
                double[] lp = logSoftmax(p, i);
                double[] lq = logSoftmax(q, i);
                for (int c = 0; c < lp.length; c++) {
                    kl += Math.exp(lp[c]) * (lp[c] - lq[c]) / p.rows();
                }
            }
            assertEquals(kl, curve.kl()[24], 1e-6 * Math.max(kl, 1e-9) + 1e-12);
            assertTrue(kl > 0, "a step of 0.03 along v_1 moves the outputs");

            double lossAtEnd = crossEntropy(q, data.labels(0), data.test());
            assertEquals(lossAtEnd, curve.loss()[24], 1e-9 * lossAtEnd);
            double delta = 0.001 * layer1Norm(model.checkpoint());
            double lossBase = crossEntropy(p, data.labels(0), data.test());
            double plus = crossEntropy(model.apply(along(model.checkpoint(), v, delta), tokens, "logits"),
                    data.labels(0), data.test());
            double minus = crossEntropy(model.apply(along(model.checkpoint(), v, -delta), tokens, "logits"),
                    data.labels(0), data.test());
            double curvature = (plus + minus - 2 * lossBase) / (delta * delta);
            assertEquals(curvature, curve.curvature(), 1e-6 * Math.abs(curvature));
            assertTrue(curvature > 0, "the loss near a trained point curves up along v_1: " + curvature);
        }
    }

    private static double[] logSoftmax(Activations logits, int row) {
        double[] z = new double[logits.width()];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < z.length; c++) {
            z[c] = logits.values()[row * z.length + c];
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (double x : z) {
            sum += Math.exp(x - max);
        }
        double log = max + Math.log(sum);
        for (int c = 0; c < z.length; c++) {
            z[c] -= log;
        }
        return z;
    }

    private static double[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] / Math.sqrt(norm);
        }
        return u;
    }

    /** ‖θ_layer1‖, in double. */
    private static double layer1Norm(List<Tensor> theta) {
        double norm = 0;
        for (Tensor t : theta) {
            if (t.info().name().startsWith("layer1")) {
                for (float x : t.floats()) {
                    norm += (double) x * x;
                }
            }
        }
        return Math.sqrt(norm);
    }

    /** θ with layer1 moved by {@code step} along the unit {@code v}, rounded to float. */
    private static List<Tensor> along(List<Tensor> theta, double[] v, double step) {
        List<Tensor> moved = new ArrayList<>();
        int offset = 0;
        for (Tensor t : theta) {
            if (!t.info().name().startsWith("layer1")) {
                moved.add(t);
                continue;
            }
            float[] x = t.floats();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (x[i] + step * v[offset + i]);
            }
            offset += x.length;
            moved.add(Tensor.ofFloats(t.info().name(), t.info().dtype(), t.info().shape(), x));
        }
        return moved;
    }

    private static double crossEntropy(Activations logits, int[] labels, int[] test) {
        double sum = 0;
        for (int i = 0; i < test.length; i++) {
            sum -= logSoftmax(logits, i)[labels[test[i]]];
        }
        return sum / test.length;
    }

    private static double accuracy(Activations logits, int[] labels, int[] test) {
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            int best = 0;
            for (int c = 1; c < logits.width(); c++) {
                if (logits.values()[i * logits.width() + c] > logits.values()[i * logits.width() + best]) {
                    best = c;
                }
            }
            correct += best == labels[test[i]] ? 1 : 0;
        }
        return (double) correct / test.length;
    }

    @Test
    void writesTheVersionedFileWithBasesBestFirstAndItsInputs() throws IOException {
        ExplainJob.Result result = explain(50, 3, 3);

        Path file = new RunLayout(run).explanation(50);
        assertEquals(file, result.file());
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(ExplainJob.FORMAT_VERSION, root.get("format_version").asInt());
        assertEquals(3, root.get("directions").size());
        for (JsonNode direction : root.get("directions")) {
            JsonNode bases = direction.get("bases");
            assertEquals(2, bases.size(), "fourier over y and dlog of a, b both apply to mod 11");
            assertTrue(bases.get(0).get("p_value").asDouble() <= bases.get(1).get("p_value").asDouble());
            assertTrue(bases.get(0).get("p_value").asDouble() >= 1.0 / 50, "the floor of 49 shuffles");
        }
        JsonNode inputs = root.get("provenance").get("inputs");
        assertEquals(8, inputs.size(), "run.json, the 4 checkpoints of the window and 3 decay records: " + inputs);
        assertTrue(inputs.has("checkpoints/step-000000050.safetensors"), inputs.toString());
        assertTrue(inputs.has("checkpoints/decay/step-000000050.safetensors"), inputs.toString());
        assertEquals(GradientSplit.RECORDED, root.get("split").get("source").asText());
        JsonNode ablation = root.get("ablation");
        assertTrue(ablation.get("bulk").isNull(), "3 directions: no {v_3, v_4} " + ablation);
        assertEquals(3, ablation.get("random").size());
        assertTrue(ablation.get("edge").has("loss") && ablation.get("random").get(0).has("accuracy"), ablation.toString());
        JsonNode first = root.get("directions").get(0);
        assertTrue(first.get("curvature").isNumber(), first.toString());
        assertEquals(PerturbationCurve.STEPS, first.get("perturbation").get("loss").size());
        for (String field : List.of("additive", "multiplicative", "combined", "cross_terms", "synergy")) {
            assertTrue(first.get("probe").get(field).isNumber(), "mod 11 is prime: the composition probe applies");
        }
        assertTrue(ablation.get("accuracy").asDouble() >= 0 && ablation.get("accuracy").asDouble() <= 1);
    }

    @Test
    void splitsEachDirectionByTheRecordAndForAdamWWithoutOneByTheApproximation() throws IOException {
        Path adamw = shared.resolve("adamw");
        Trainer.run(Experiment.resolve(ConfigSource.defaults().with(List.of("seed=2", "task.name=mod-add", "task.p=11",
                "task.train-size=80", "architecture.name=mlp2", "architecture.hidden=32", "optimizer.name=adamw",
                "optimizer.learning-rate=0.01", "optimizer.weight-decay=1.0", "train.steps=20", "train.batch-size=0",
                "train.eval-every=1", "train.checkpoint-every=1", "spectrum.group=layer1", "spectrum.window=4",
                "detectors=")), registry), adamw, TrainOptions.defaults());
        GradientSplit recorded = new ExplainJob(registry).run(new ExplainJob.Request(adamw, 20, "layer1",
                SpectralOptions.of(8), 3, "", List.of("fourier"), Map.of(), 9, 0), Progress.NONE).split();
        Path copy = shared.resolve("adamw-unrecorded");
        try (var paths = Files.walk(adamw)) {
            for (Path p : paths.filter(p -> !adamw.relativize(p).startsWith("checkpoints/decay")).toList()) {
                Files.copy(p, copy.resolve(adamw.relativize(p).toString()));
            }
        }
        GradientSplit approximated = new ExplainJob(registry).run(new ExplainJob.Request(copy, 20, "layer1",
                SpectralOptions.of(8), 3, "", List.of("fourier"), Map.of(), 9, 0), Progress.NONE).split();

        assertEquals(GradientSplit.RECORDED, recorded.source());
        assertEquals(GradientSplit.APPROXIMATED, approximated.source());
        assertEquals(3, recorded.shares().size());
        for (int k = 0; k < 3; k++) {
            double exact = recorded.shares().get(k).gradient();
            assertTrue(exact >= 0 && exact <= 1, "grad% of v_" + (k + 1) + ": " + exact);
            // one step per interval: −ηω(θ_prev + θ_curr)/2 differs from the exact −ηωθ_prev by ηω|Δθ|/2
            assertEquals(exact, approximated.shares().get(k).gradient(), 0.02, "v_" + (k + 1));
            assertEquals(recorded.shares().get(k).aligned(), approximated.shares().get(k).aligned());
        }
        Path adam = shared.resolve("adam-unrecorded");
        try (var paths = Files.walk(run)) {
            for (Path p : paths.filter(p -> !run.relativize(p).startsWith("checkpoints/decay")).toList()) {
                Files.copy(p, adam.resolve(run.relativize(p).toString()));
            }
        }
        GradientSplit none = new ExplainJob(registry).run(new ExplainJob.Request(adam, 60, "layer1",
                SpectralOptions.of(4), 2, "", List.of("fourier"), Map.of(), 9, 0), Progress.NONE).split();
        assertEquals(GradientSplit.NONE, none.source());
        assertTrue(none.reason().contains("'adam' is not adamw"), none.reason());
    }

    @Test
    void configuresABasisAndRefusesASettingNoChosenBasisTakes() {
        ExplainJob.Result result = new ExplainJob(registry).run(new ExplainJob.Request(run, 60, "layer1",
                SpectralOptions.of(4), 1, "", List.of("fourier"), Map.of("basis.fourier.coordinate", "a-b"), 9, 0),
                Progress.NONE);
        assertEquals("fourier over a-b (mod 11)", result.directions().getFirst().scores().getFirst().label());

        ConfigException unknownKey = assertThrows(ConfigException.class, () -> new ExplainJob(registry).run(
                new ExplainJob.Request(run, 60, "layer1", SpectralOptions.of(4), 1, "", List.of("fourier"),
                        Map.of("basis.fourier.coordinates", "a"), 9, 0), Progress.NONE));
        assertTrue(unknownKey.getMessage().contains("basis.fourier.coordinate'?"), unknownKey.getMessage());
        ConfigException notChosen = assertThrows(ConfigException.class, () -> new ExplainJob(registry).run(
                new ExplainJob.Request(run, 60, "layer1", SpectralOptions.of(4), 1, "", List.of("fourier"),
                        Map.of("basis.dlog.coordinates", "y"), 9, 0), Progress.NONE));
        assertTrue(notChosen.getMessage().contains("not scored here"), notChosen.getMessage());
        assertThrows(ConfigException.class, () -> new ExplainJob.Request(run, 60, "layer1", SpectralOptions.of(4), 1,
                "", List.of(), Map.of("optimizer.learning-rate", "1"), 9, 0));
    }

    @Test
    void refusesAWindowTheCheckpointsCannotMakeNamingTheStepsThereAre() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> explain(10, 4, 1));
        assertTrue(e.getMessage().contains("needs 5") && e.getMessage().contains("[0, 5, 10"), e.getMessage());
        DataFormatException none = assertThrows(DataFormatException.class, () -> explain(42, 2, 1));
        assertTrue(none.getMessage().contains("none at 42"), none.getMessage());
    }

    /** v_1 of the updates between the checkpoints {@code steps}: power iteration on G = XXᵀ, in double. */
    private static double[] topRightSingularVector(List<Long> steps, List<TensorInfo> group) throws IOException {
        List<double[]> snapshots = new ArrayList<>();
        SafetensorsFormat format = new SafetensorsFormat();
        for (long s : steps) {
            try (Checkpoint c = format.open(new RunLayout(run).checkpoint(s))) {
                List<Double> values = new ArrayList<>();
                for (TensorInfo info : group) {
                    for (float x : c.tensor(info.name()).floats()) {
                        values.add((double) x);
                    }
                }
                snapshots.add(values.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        int w = steps.size() - 1;
        int p = snapshots.getFirst().length;
        double[][] x = new double[w][p];
        for (int t = 0; t < w; t++) {
            for (int i = 0; i < p; i++) {
                x[t][i] = (float) (snapshots.get(t + 1)[i] - snapshots.get(t)[i]);
            }
        }
        double[] u = new double[w];
        Arrays.fill(u, 1.0);
        for (int iteration = 0; iteration < 500; iteration++) {
            double[] next = new double[w];
            for (int a = 0; a < w; a++) {
                for (int b = 0; b < w; b++) {
                    double g = 0;
                    for (int i = 0; i < p; i++) {
                        g += x[a][i] * x[b][i];
                    }
                    next[a] += g * u[b];
                }
            }
            double n = Math.sqrt(Arrays.stream(next).map(z -> z * z).sum());
            for (int a = 0; a < w; a++) {
                u[a] = next[a] / n;
            }
        }
        double[] v = new double[p];
        for (int a = 0; a < w; a++) {
            for (int i = 0; i < p; i++) {
                v[i] += x[a][i] * u[a];
            }
        }
        double n = Math.sqrt(Arrays.stream(v).map(z -> z * z).sum());
        for (int i = 0; i < p; i++) {
            v[i] /= n;
        }
        return v;
    }
}
