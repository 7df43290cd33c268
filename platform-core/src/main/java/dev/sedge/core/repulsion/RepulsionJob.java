package dev.sedge.core.repulsion;

import dev.sedge.api.ConfigException;
import dev.sedge.api.model.Activations;
import dev.sedge.core.Progress;
import dev.sedge.core.model.CheckpointModel;
import dev.sedge.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The repulsion sign test over the checkpoints of a stored run ({@code sedge repulsion}): at each
 * requested step, the run's model is rebuilt at that checkpoint, its features read at a probe point
 * on the training inputs, and {@link RepulsionSignTest} run on them with η = the run's
 * {@code optimizer.weight-decay}. Writes nothing. Stateless.
 */
public final class RepulsionJob {

    /** The weight-decay key η is read from. */
    static final String WEIGHT_DECAY = "weight-decay";

    private final PluginRegistry registry;

    public RepulsionJob(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * What to test.
     *
     * @param run   a trained run directory
     * @param steps checkpoint steps, in the order to test them; at least one
     * @param probe the probe point of the features; empty for the model's first (mlp2: hidden)
     * @param pairs how many most-similar pairs to score
     */
    public record Request(Path run, List<Long> steps, String probe, int pairs) {
        public Request {
            Objects.requireNonNull(run, "run");
            steps = List.copyOf(steps);
            if (steps.isEmpty()) {
                throw new ConfigException("name at least one checkpoint step to test");
            }
            probe = probe.strip();
            if (pairs < 1) {
                throw new ConfigException("--pairs must be >= 1, found " + pairs);
            }
        }
    }

    /**
     * One checkpoint's test.
     *
     * @param step   the checkpoint
     * @param probe  the probe point read
     * @param result the test
     */
    public record StepResult(long step, String probe, RepulsionSignTest.Result result) {
    }

    /**
     * Runs the test at every requested step.
     *
     * @param progress told after each step
     * @throws ConfigException for a run without weight decay (η = 0), or an unknown probe point
     * @throws dev.sedge.api.DataFormatException for a missing or unreadable checkpoint
     */
    public List<StepResult> run(Request request, Progress progress) {
        List<StepResult> out = new ArrayList<>();
        for (long step : request.steps()) {
            progress.update(out.size(), request.steps().size(), "step " + step);
            try (CheckpointModel model = CheckpointModel.open(request.run(), registry, step)) {
                double eta = weightDecay(model, request.run());
                String probe = request.probe().isEmpty() ? first(model) : request.probe();
                Activations features = model.apply(model.checkpoint(), model.trainInputs(), probe);
                out.add(new StepResult(step, probe, RepulsionSignTest.of(features.values(), features.rows(),
                        features.width(), eta, request.pairs())));
            }
        }
        progress.update(out.size(), request.steps().size(), "done");
        return out;
    }

    private static double weightDecay(CheckpointModel model, Path run) {
        var optimizer = model.experiment().orElseThrow(() -> new ConfigException("run " + run + " was imported:"
                + " its weight decay is unknown, and the sign test's eta is the weight decay; run it on a run sedge"
                + " trained")).optimizer();
        if (!optimizer.config().values().containsKey(WEIGHT_DECAY)) {
            throw new ConfigException("run " + run + ": optimizer '" + optimizer.plugin().name()
                    + "' has no weight-decay key, and the sign test's eta is the weight decay");
        }
        double eta = optimizer.config().doubleValue(WEIGHT_DECAY);
        if (!(eta > 0)) {
            throw new ConfigException("run " + run + " trained without weight decay (optimizer." + WEIGHT_DECAY
                    + " = " + eta + "): the sign test's B = (F'F + eta I)^-1 does not exist at eta = 0 once the"
                    + " features outnumber the examples, and the theorem it checks is about weight decay");
        }
        return eta;
    }

    private static String first(CheckpointModel model) {
        if (model.outputs().isEmpty()) {
            throw new ConfigException("the run's model declares no probe points, so its features cannot be read");
        }
        return model.outputs().getFirst();
    }
}
