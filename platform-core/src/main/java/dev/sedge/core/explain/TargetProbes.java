package dev.sedge.core.explain;

import dev.sedge.api.model.Activations;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Probes of a hidden layer onto a task quantity (docs/science.md, "Probes of a hidden layer"): how well the
 * activations at a probe point predict a per-position target, the depth after each token of a Dyck-1
 * string, by three regressions of increasing capacity, each scored by R² on held-out tokens:
 * <ul>
 *   <li><em>linear</em>: ridge regression (α = {@value #LINEAR_ALPHA}) on the d activations;</li>
 *   <li><em>quadratic</em>: ridge (α = {@value #QUADRATIC_ALPHA}) on the d activations and the pairwise
 *       products z_i z_j (i ≤ j) of their first k = min({@value #COMPONENTS}, d) principal-component scores
 *       (all d(d + 1)/2 products of d = 128 would be 8256 features; the leading components carry the
 *       products that a quadratic readout of a low-dimensional quantity needs) ({@link RidgeProbe});</li>
 *   <li><em>mlp</em>: one hidden layer of {@value MlpProbe#HIDDEN} ReLU units, trained by Adam
 *       ({@link MlpProbe}).</li>
 * </ul>
 * A row is one (input, position) with a target (not {@link TaskData#IGNORE}), its features the probe
 * point's d values at that position. The split is over <em>strings</em>, not tokens: the distinct token
 * sequences (a string repeated in the data is one) are shuffled by a {@link SplittableRandom} of seed
 * {@value #SEED} and the first {@value #TRAIN_SHARE} of them (rounded) train every probe, the rest test it;
 * so no test token's string was seen in training. At most {@value #MAX_TRAIN} training rows are used (a
 * subset drawn by the same generator, in row order), every test row is scored. Deterministic: a pure
 * function of the activations and the targets.
 *
 * @param target     what is predicted: the task head's name ({@code dyck1-depth}, the depth after the token)
 * @param point      the probe point read
 * @param width      d, the features per row
 * @param train      training rows (tokens) used
 * @param test       test rows (tokens)
 * @param components k, the principal components whose products the quadratic probe adds
 * @param linear     R² of the linear probe on the test rows
 * @param quadratic  R² of the quadratic probe
 * @param mlp        R² of the MLP probe
 */
public record TargetProbes(String target, String point, int width, int train, int test, int components,
                           double linear, double quadratic, double mlp) {

    /** The linear probe's ridge penalty. */
    public static final double LINEAR_ALPHA = 1.0;

    /** The quadratic probe's ridge penalty. */
    public static final double QUADRATIC_ALPHA = 10.0;

    /** Principal components whose pairwise products the quadratic probe adds, at most. */
    public static final int COMPONENTS = 32;

    /** The share of the strings that train the probes. */
    public static final double TRAIN_SHARE = 0.7;

    /** Training rows used at most (the MLP's cost grows with them). */
    public static final int MAX_TRAIN = 8192;

    /** The seed of the split, the training subset and the MLP. */
    public static final long SEED = 0;

    public TargetProbes {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(point, "point");
    }

    /**
     * The probes of a sequence task's first head from the activations at {@code point} over every input.
     *
     * @param hidden one row per input of {@code data}, T blocks of d values, position-major (position t in
     *               columns [t·d, (t + 1)·d)); not modified
     * @return empty unless the task has one target per input position ({@link TargetSpec.Aligned}) and the
     *         activations have T·d values per input, with at least two distinct strings
     */
    static Optional<TargetProbes> of(TaskData data, Activations hidden, String point) {
        if (!(data.targetSpec().orElse(null) instanceof TargetSpec.Aligned aligned)) {
            return Optional.empty();
        }
        int positions = aligned.length();
        if (hidden.rows() != data.size() || hidden.width() % positions != 0 || hidden.width() == 0) {
            return Optional.empty();
        }
        int width = hidden.width() / positions;
        int[] targets = data.targets(0);
        int[] tokens = data.tokens();
        int length = data.sequenceLength();
        Map<List<Integer>, Integer> strings = new HashMap<>();
        int[] stringOf = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            List<Integer> key = Arrays.stream(tokens, i * length, (i + 1) * length).boxed().toList();
            stringOf[i] = strings.computeIfAbsent(key, k -> strings.size());
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (int t = 0; t < positions; t++) {
                if (targets[i * positions + t] != TaskData.IGNORE) {
                    rows.add(i * positions + t);
                }
            }
        }
        double[] x = new double[rows.size() * width];
        double[] y = new double[rows.size()];
        int[] group = new int[rows.size()];
        float[] values = hidden.values();
        for (int r = 0; r < y.length; r++) {
            int at = rows.get(r);
            int i = at / positions;
            int t = at % positions;
            for (int j = 0; j < width; j++) {
                x[r * width + j] = values[i * hidden.width() + t * width + j];
            }
            y[r] = targets[at];
            group[r] = stringOf[i];
        }
        if (strings.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(fit(data.heads().getFirst().name(), point, x, y, width, group));
    }

    /**
     * Fits the three probes.
     *
     * @param x     rows × width features, row-major; not modified
     * @param y     one target per row; not modified
     * @param group each row's string, in [0, strings): rows of one string are all trained on or all tested
     * @throws IllegalArgumentException for fewer than two strings, or shapes that disagree
     */
    static TargetProbes fit(String target, String point, double[] x, double[] y, int width, int[] group) {
        if (x.length != y.length * width || group.length != y.length) {
            throw new IllegalArgumentException(y.length + " targets, " + group.length + " groups and " + x.length
                    + " features of width " + width);
        }
        int strings = Arrays.stream(group).max().orElse(-1) + 1;
        if (strings < 2) {
            throw new IllegalArgumentException("the probes split strings 70/30 and need at least 2, found " + strings);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int[] order = new int[strings];
        for (int s = 0; s < strings; s++) {
            order[s] = s;
        }
        shuffle(order, random);
        int trainStrings = Math.clamp(Math.round(TRAIN_SHARE * strings), 1, strings - 1);
        boolean[] trains = new boolean[strings];
        for (int s = 0; s < trainStrings; s++) {
            trains[order[s]] = true;
        }
        int[] trainRows = rowsOf(group, trains, true);
        int[] testRows = rowsOf(group, trains, false);
        if (trainRows.length > MAX_TRAIN) {
            shuffle(trainRows, random);
            trainRows = Arrays.stream(trainRows, 0, MAX_TRAIN).sorted().toArray();
        }
        double[] xTrain = select(x, trainRows, width);
        double[] yTrain = select(y, trainRows, 1);
        double[] xTest = select(x, testRows, width);
        double[] yTest = select(y, testRows, 1);
        double linear = RidgeProbe.r2(xTrain, yTrain, xTest, yTest, width, LINEAR_ALPHA);
        int k = Math.min(COMPONENTS, width);
        int expanded = width + k * (k + 1) / 2;
        double quadratic = RidgeProbe.r2(RidgeProbe.quadraticFeatures(xTrain, xTrain, width, k), yTrain,
                RidgeProbe.quadraticFeatures(xTrain, xTest, width, k), yTest, expanded, QUADRATIC_ALPHA);
        double mlp = MlpProbe.r2(xTrain, yTrain, xTest, yTest, width, SEED);
        return new TargetProbes(target, point, width, trainRows.length, testRows.length, k, linear, quadratic, mlp);
    }

    private static int[] rowsOf(int[] group, boolean[] trains, boolean train) {
        return IntStream.range(0, group.length).filter(r -> trains[group[r]] == train).toArray();
    }

    private static double[] select(double[] values, int[] rows, int width) {
        double[] out = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(values, rows[r] * width, out, r * width, width);
        }
        return out;
    }

    /** Fisher–Yates over {@code order} in place, drawing from {@code random}; the probes' one shuffle. */
    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
