package dev.sedge.models;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.model.ParameterGroup;
import dev.sedge.api.model.TaskShape;
import java.util.List;

/**
 * {@code mlp2}: the two-layer network ŷ = σ(XW)V of the lock-in experiments (docs/science.md, "The Feature Repulsion
 * paper"), with X the concatenated one-hot codes of the input tokens, σ = x² or ReLU, K hidden units, one
 * readout V per head and no biases. See {@link Mlp2Block} for the computation, parameter names
 * and shapes.
 *
 * <p>Loss ({@code loss}, {@code loss-reduction}): {@code zero-mean-mse-no-half}, the default, is
 * ‖P⊥(Y − ŷ)‖² per example with Y the one-hot label and P⊥ = I − 11ᵀ/C, summed over the C classes,
 * as the Feature Repulsion paper's code computes it; {@code zero-mean-mse} is half of it, as the
 * paper's text writes it (under coupled L2 decay the two are different experiments: see
 * {@link LossKind#ZERO_MEAN_MSE_NO_HALF}); {@code cross-entropy} is −log softmax(ŷ)_y per example; either is then
 * averaged ({@code mean}) or summed ({@code sum}) over the examples of the batch; several heads add their
 * losses. The reduction fixes the scale of ∇L, and with coupled L2 weight decay
 * (g = ∇L + ωθ) it is that scale ω is weighed against: {@code sum} makes ω N times weaker than
 * {@code mean} for a batch of N. Under {@code sum} the train and test losses the trainer
 * reports are sums as well, so they are not comparable between splits of different sizes.
 *
 * <p>Initialisation ({@code init}, {@code init-scale}): both matrices drawn from
 * U(−s/√fan_in, s/√fan_in), PyTorch's {@code nn.Linear} default for s = 1, or N(0, s²/fan_in),
 * with fan_in = S·n for {@code layer1.weight} and K for {@code layer2}. The values come from the
 * engine's random generator: the host seeds it ({@code Engine.setRandomSeed}) before it
 * initialises the block, and the same seed gives the same weights, bit for bit.
 *
 * <p>Groups: {@code layer1} (W, the default: the lock-in detector watches the first layer),
 * {@code layer2} (every V), {@code all}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Mlp2Architecture implements Architecture {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "two-layer MLP y = sigma(XW)V over one-hot tokens (x^2 or ReLU, no biases), one readout per head",
            Mlp2Config.KEYS.toArray(ConfigKey[]::new));

    private static final List<ParameterGroup> GROUPS = List.of(
            new ParameterGroup("layer1", "layer1.*", "first layer W, (sequence length x vocabulary) x hidden"),
            new ParameterGroup("layer2", "layer2.*", "readout V, hidden x classes, one per head"),
            new ParameterGroup("all", "*", "every parameter"));

    /** For {@link java.util.ServiceLoader}. */
    public Mlp2Architecture() {
    }

    @Override
    public String name() {
        return "mlp2";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sedge.api.ConfigException for a sequence task (targets per position), a value out of range or an
     *                                        unknown name
     * @throws IllegalArgumentException      if the task's shape is too large to index
     */
    @Override
    public ModelSpec create(PluginConfig config, TaskShape shape) {
        ShapeChecks.requireLabels(name(), shape);
        Mlp2Config parsed = Mlp2Config.from(config);
        Mlp2Block block = new Mlp2Block(shape.vocabularySize(), shape.sequenceLength(), shape.headClasses(),
                parsed.hidden(), parsed.activation(), parsed.init());
        return new ReadoutSpec(block, new HeadsLoss(parsed.loss(), parsed.lossReduction()), GROUPS);
    }
}
