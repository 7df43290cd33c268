import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.train.Evaluation;
import dev.sedge.core.train.Snapshot;
import dev.sedge.core.train.StepResult;
import dev.sedge.core.train.TrainOptions;
import dev.sedge.core.train.Trainer;
import dev.sedge.core.train.TrainingListener;
import dev.sedge.core.train.TrainingResult;
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
 * evaluation per step): the same run with the monitor on and off, alternated, timed per step by a
 * listener from step {@code from} on (after the first window, so every timed step pays the full
 * monitor). Also times the monitor's own work per step (the listeners' handling of each snapshot). The
 * optimizer step and the evaluation cannot be told apart any more: a full-batch step's forward pass also
 * measures the train split for the evaluation before it.
 *
 * args: workFolder steps from repeats
 */
public class MonitorOverheadBenchmark {

    /** Timestamps of the phases of each step, from a listener that runs after the built-in ones. */
    static final class Clock implements TrainingListener {
        final long from;
        final List<double[]> phases = new ArrayList<>(); // per step: total, snapshot handling (ms)
        long previousStepCall = -1;
        long evaluated = -1;
        double snapMs;

        Clock(long from) {
            this.from = from;
        }

        @Override
        public void onStep(StepResult r) {
            long now = System.nanoTime();
            if (previousStepCall >= 0 && r.step() > from) {
                phases.add(new double[] {(now - previousStepCall) / 1e6, snapMs});
            }
            previousStepCall = now;
            snapMs = 0;
        }

        @Override
        public void onEvaluation(Evaluation e) {
            evaluated = System.nanoTime(); // the monitor's listeners handle the snapshot right after this
        }

        @Override
        public void onSnapshot(Snapshot s) {
            snapMs = (System.nanoTime() - evaluated) / 1e6;
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
        for (int r = 0; r < repeats; r++) {
            for (boolean monitor : new boolean[] {true, false}) {
                Path dir = work.resolve("run-" + r + "-" + monitor);
                delete(dir);
                Clock clock = new Clock(from);
                TrainingResult result = Trainer.run(experiment, dir, TrainOptions.defaults().withLiveSpectrum(monitor)
                        .withListener(clock));
                double[] mean = new double[2];
                for (double[] p : clock.phases) {
                    for (int i = 0; i < 2; i++) {
                        mean[i] += p[i] / clock.phases.size();
                    }
                }
                (monitor ? on : off).add(mean[0]);
                System.out.printf(Locale.ROOT, "monitor %-3s  step+eval+monitor %7.2f ms  (of which the monitor's"
                        + " listeners %5.2f)  windows %d  wall %.1f s%n", monitor ? "on" : "off",
                        mean[0], mean[1], result.windows(), result.wallTime().toMillis() / 1e3);
                delete(dir);
            }
        }
        double a = median(on);
        double b = median(off);
        System.out.printf(Locale.ROOT, "median per step: on %.2f ms, off %.2f ms: monitor overhead %.2f ms = %.1f%%%n",
                a, b, a - b, 100 * (a - b) / b);
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
