package dev.sedge.core.explain;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.GroupReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The gradient / weight-decay split of a window's edge directions (docs/science.md, "Probe points and
 * functional modes"): each update Δθ_j of the window is the sum of a gradient part and a weight-decay
 * part, Δθ_j = Δθ_grad,j + Δθ_wd,j, and on direction v_k
 * grad% = mean_j⟨Δθ_grad,j, v_k⟩² / (mean_j⟨Δθ_grad,j, v_k⟩² + mean_j⟨Δθ_wd,j, v_k⟩²); the two parts are
 * aligned on v_k when mean_j⟨Δθ_grad,j, v_k⟩⟨Δθ_wd,j, v_k⟩ &gt; 0. An edge the gradient drives has grad%
 * near 1; one weight decay holds has it near 0.
 *
 * <p>Δθ_wd is read from the run's weight-decay record ({@link RunLayout#decayPart}, exact, {@value #RECORDED})
 * when every checkpoint of the window has one covering the group; otherwise, for an AdamW run, it is the
 * approximation Δθ_wd,j ≈ −η ω N (θ_{j−1} + θ_j)/2 over the N steps of the interval, η the learning rate
 * logged at its end ({@value #APPROXIMATED}); otherwise there is no split ({@value #NONE}, with the reason).
 *
 * @param source {@value #RECORDED}, {@value #APPROXIMATED} or {@value #NONE}
 * @param shares one per direction, in order; empty for {@value #NONE}
 * @param reason why there is no split; empty unless {@value #NONE}
 */
public record GradientSplit(String source, List<Share> shares, String reason) {

    /** The source of a split read from the run's weight-decay record. */
    public static final String RECORDED = "recorded";

    /** The source of a split made with the AdamW approximation. */
    public static final String APPROXIMATED = "adamw-approximation";

    /** No split: the run has no record and the approximation does not hold. */
    public static final String NONE = "none";

    /** The metrics column with the learning rate in force at each evaluation. */
    private static final String LEARNING_RATE = "learning_rate";

    /**
     * The split on one direction.
     *
     * @param gradient grad%, in [0, 1]; NaN when neither part moves along the direction
     * @param aligned  whether the two parts push the same way along it on average
     */
    public record Share(double gradient, boolean aligned) {
    }

    public GradientSplit {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        shares = List.copyOf(shares);
    }

    /**
     * Splits the updates of {@code window} on each of its directions.
     *
     * @param group the window's parameter group
     * @return the split, or {@value #NONE} with the reason
     */
    static GradientSplit of(RunLayout layout, EdgeWindow window, NameGlob group, CheckpointFormats formats) {
        List<Long> steps = window.steps();
        boolean recorded = steps.subList(1, steps.size()).stream().allMatch(s -> covers(layout, s, window, formats));
        double rate = Double.NaN;
        double decay = Double.NaN;
        MetricsTable metrics = null;
        if (!recorded) {
            Map<String, String> config = ManifestFile.read(layout.manifest()).provenance().config();
            if (!config.containsKey("optimizer.name")) {
                return new GradientSplit(NONE, List.of(), "the run was imported: it has no weight-decay record, and"
                        + " the optimizer that made it is unknown");
            }
            if (!"adamw".equals(config.get("optimizer.name"))) {
                return new GradientSplit(NONE, List.of(), "the run has no weight-decay record for this window's group and steps, and"
                        + " its optimizer '" + config.get("optimizer.name") + "' is not adamw, for which the split"
                        + " could be approximated; train with the live monitor on this group to record it");
            }
            decay = Double.parseDouble(config.getOrDefault("optimizer.weight-decay", "0"));
            rate = Double.parseDouble(config.getOrDefault("optimizer.learning-rate", "NaN"));
            if (Files.exists(layout.metrics())) {
                MetricsTable table = MetricsCsv.read(layout.metrics());
                metrics = table.columns().contains(LEARNING_RATE) ? table : null;
            }
        }
        int n = window.count();
        float[][] v = new float[n][];
        for (int k = 1; k <= n; k++) {
            v[k - 1] = window.direction(k);
        }
        double[] gradSquares = new double[n];
        double[] decaySquares = new double[n];
        double[] products = new double[n];
        GroupReader reader;
        try (Checkpoint first = formats.open(layout.checkpoint(steps.getFirst()))) {
            reader = GroupReader.of(first, group);
        }
        int p = reader.dimension();
        float[] previous = read(reader, formats, layout, steps.getFirst(), p);
        for (int j = 1; j < steps.size(); j++) {
            long step = steps.get(j);
            float[] current = read(reader, formats, layout, step, p);
            float[] wd;
            if (recorded) {
                wd = read(reader, formats, layout.decayPart(step), p);
            } else {
                double eta = metrics == null ? rate : metrics.latest(LEARNING_RATE, step).orElse(rate);
                double scale = -eta * decay * (step - steps.get(j - 1)) / 2;
                wd = new float[p];
                for (int i = 0; i < p; i++) {
                    wd[i] = (float) (scale * ((double) previous[i] + current[i]));
                }
            }
            for (int k = 0; k < n; k++) {
                double along = 0;
                double alongDecay = 0;
                for (int i = 0; i < p; i++) {
                    along += (double) (current[i] - previous[i]) * v[k][i];
                    alongDecay += (double) wd[i] * v[k][i];
                }
                double alongGrad = along - alongDecay;
                gradSquares[k] += alongGrad * alongGrad;
                decaySquares[k] += alongDecay * alongDecay;
                products[k] += alongGrad * alongDecay;
            }
            previous = current;
        }
        List<Share> shares = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double total = gradSquares[k] + decaySquares[k];
            shares.add(new Share(total > 0 ? gradSquares[k] / total : Double.NaN, products[k] > 0));
        }
        return new GradientSplit(recorded ? RECORDED : APPROXIMATED, shares, "");
    }

    private static boolean covers(RunLayout layout, long step, EdgeWindow window, CheckpointFormats formats) {
        if (!Files.isRegularFile(layout.decayPart(step))) {
            return false;
        }
        try (Checkpoint record = formats.open(layout.decayPart(step))) {
            Set<String> names = new HashSet<>();
            record.tensors().forEach(t -> names.add(t.name()));
            return window.tensors().stream().map(TensorInfo::name).allMatch(names::contains);
        }
    }

    private static float[] read(GroupReader reader, CheckpointFormats formats, RunLayout layout, long step, int p) {
        return read(reader, formats, layout.checkpoint(step), p);
    }

    private static float[] read(GroupReader reader, CheckpointFormats formats, Path file, int p) {
        float[] values = new float[p];
        try (Checkpoint checkpoint = formats.open(file)) {
            reader.read(checkpoint, values);
        }
        return values;
    }
}
