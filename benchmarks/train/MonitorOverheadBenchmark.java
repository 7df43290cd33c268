import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.train.Evaluation;
import dev.sedge.train.Snapshot;
import dev.sedge.train.StepResult;
import dev.sedge.train.TrainOptions;
import dev.sedge.train.Trainer;
import dev.sedge.train.TrainingListener;
import dev.sedge.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The live spectral monitor's cost against the step time in the default experiment (mlp2 K = 2048,
 * (a + b) mod 71, 2016 train pairs, full-batch Adam, W = 20 on layer1, a snapshot per step, an
 * evaluation per step): the same run with the monitor on and off, alternated after a warm-up pair that
 * is not counted, timed per step by a listener from step {@code from} on (after the first window, so
 * every timed step pays the full monitor). Per run the mean step, and its phases (see {@link Clock}).
 * The overhead: the medians over the repeats compared, and the median of the differences within each
 * on/off pair (which the machine's drift over minutes moves less).
 *
 * args: workFolder steps from repeats
 */
public class MonitorOverheadBenchmark {

    /**
     * Timestamps of the phases of each step, from a listener that runs after the built-in ones. A step's
     * events come as: onEvaluation and onSnapshot of the step before (deferred: its train split is
     * measured by this step's forward pass), then this step's onStep. So per step: "train" from the
     * previous onStep to onEvaluation (the test split's evaluation and the snapshot copy of the step
     * before, this step's forward, backward and update), "monitor" from onEvaluation to onSnapshot (the
     * listeners' handling of the snapshot: the monitor's copies and, one step in eight, its batch's Gram
     * pass and windows), and the rest up to onStep.
     */
    static final class Clock implements TrainingListener {
        final long from;
        final List<double[]> phases = new ArrayList<>(); // per step: total, train, monitor (ms)
        long previousStepCall = -1;
        long evaluated = -1;
        long snapshotted = -1;

        Clock(long from) {
            this.from = from;
        }

        @Override
        public void onStep(StepResult r) {
            long now = System.nanoTime();
            if (previousStepCall >= 0 && r.step() > from) {
                double monitor = snapshotted > evaluated ? (snapshotted - evaluated) / 1e6 : 0;
                phases.add(new double[] {(now - previousStepCall) / 1e6, (evaluated - previousStepCall) / 1e6,
                    monitor});
            }
            previousStepCall = now;
        }

        @Override
        public void onEvaluation(Evaluation e) {
            evaluated = System.nanoTime(); // the monitor's listeners handle the snapshot right after this
        }

        @Override
        public void onSnapshot(Snapshot s) {
            snapshotted = System.nanoTime();
        }

        /**
         * The mean of each phase over the timed steps: the monitor hands its snapshots to the engine in
         * batches, so its cost falls on some steps only and a median step would leave it out.
         */
        double[] means() {
            double[] out = new double[3];
            for (double[] p : phases) {
                for (int i = 0; i < 3; i++) {
                    out[i] += p[i] / phases.size();
                }
            }
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        int from = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        PluginRegistry registry = PluginRegistry.load(work.resolve("no-plugins"));
        Experiment experiment = Experiment.resolve(ConfigSource.defaults().with(List.of("train.steps=" + steps,
                "train.checkpoint-every=0")), registry);
        System.out.printf(Locale.ROOT, "# default experiment, %d steps, timed from step %d, %d repeats each; "
                + "torch intra-op threads %s%n", steps, from, repeats, System.getProperty("ai.djl.pytorch.num_threads"));
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int r = 0; r <= repeats; r++) {
            for (boolean monitor : new boolean[] {true, false}) {
                Path dir = work.resolve("run-" + r + "-" + monitor);
                delete(dir);
                Clock clock = new Clock(from);
                TrainingResult result = Trainer.run(experiment, dir, TrainOptions.defaults().withLiveSpectrum(monitor)
                        .withListener(clock));
                double[] mean = clock.means();
                if (r > 0) { // the first pair warms the JIT up
                    (monitor ? on : off).add(mean[0]);
                }
                System.out.printf(Locale.ROOT, "monitor %-3s  mean step %7.2f ms  (train %6.2f, monitor's listeners"
                        + " %5.2f)  windows %d  wall %.1f s%s%n", monitor ? "on" : "off", mean[0], mean[1],
                        mean[2], result.windows(), result.wallTime().toMillis() / 1e3, r == 0 ? "  (warm-up)" : "");
                delete(dir);
            }
        }
        double a = median(on);
        double b = median(off);
        List<Double> paired = new ArrayList<>();
        for (int r = 0; r < on.size(); r++) {
            paired.add(on.get(r) - off.get(r));
        }
        double d = median(paired);
        System.out.printf(Locale.ROOT, "median over %d repeats of the mean step: on %.2f ms, off %.2f ms (%.1f%%);"
                + " median of the paired differences %.2f ms = %.1f%% of off%n", on.size(), a, b, 100 * (a - b) / b, d,
                100 * d / b);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
