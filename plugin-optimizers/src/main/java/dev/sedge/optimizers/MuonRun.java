package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One run of {@link MuonOptimizer}. Each parameter takes one of two updates, fixed at creation:
 *
 * <p><b>Muon</b>, for every 2-D parameter (rows × cols, as stored) whose name matches none of
 * the {@code adamw-parameters} globs; with β the momentum, ω the weight decay:
 * <pre>
 *   b ← β b + (1 − β) ∇
 *   u = (1 − β) ∇ + β b  (Nesterov)   or   u = b
 *   O = NewtonSchulz5(u)                       (see {@link NewtonSchulz})
 *   Δθ_wd = −lr·ω·θ       θ ← θ·(1 − lr·ω)      θ ← θ − lr · √max(1, rows/cols) · O
 * </pre>
 * which is {@code muon_update} and {@code Muon.step} of the reference implementation
 * (github.com/KellerJordan/Muon). The scale √max(1, rows/cols) is taken on the stored shape; the
 * reference sees PyTorch's (out, in) layout, so for a weight stored (in, out) the factor is
 * that of its transpose (the orthogonalisation itself does not depend on the layout).
 *
 * <p><b>AdamW</b> ({@link AdamWUpdate} with the {@code adamw-*} keys) for every other parameter:
 * biases, LayerNorm gains, and embeddings and heads by the globs.
 *
 * <p>In both, the weight-decay part is exactly −lr·ω·θ_prev with that half's lr and ω. State,
 * per parameter in layout order: {@code muon.momentum.<parameter>} (Muon half) or
 * {@code muon.m.<parameter>}, {@code muon.v.<parameter>} (AdamW half), and
 * {@code muon.step.<parameter>}. Call order and memory as {@link AdamRun}. Confined to one thread.
 */
final class MuonRun extends StatefulRun {

    static final String MOMENTUM = "momentum";

    private final MuonConfig config;
    private final Map<String, Boolean> muon;

    /**
     * @param parameters every parameter the run will update; not modified
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    MuonRun(MuonConfig config, List<TensorInfo> parameters) {
        this.config = config;
        Predicate<String> adamw = config.adamwParameters().isEmpty() ? name -> false
                : NameGlob.anyOf(config.adamwParameters())::matches;
        Map<String, Boolean> usesMuon = new LinkedHashMap<>();
        for (TensorInfo info : parameters) {
            usesMuon.put(info.name(), info.shape().size() == 2 && !adamw.test(info.name()));
        }
        this.muon = usesMuon;
        super(new RunState("muon", parameters, info -> usesMuon.get(info.name()) ? List.of(MOMENTUM)
                : List.of(AdamWRun.MEAN, AdamWRun.SQUARE_MEAN)), config.learningRate());
    }

    /** Whether {@code parameter} takes the Muon update (else AdamW). */
    boolean usesMuon(String parameter) {
        Boolean m = muon.get(parameter);
        if (m == null) {
            throw new IllegalArgumentException("muon: unknown parameter '" + parameter + "'; this run updates "
                    + muon.keySet());
        }
        return m;
    }

    /**
     * {@inheritDoc}
     *
     * @param weight   modified: in place; its shape is the layout's
     * @param gradient not modified: ∇, the loss gradient
     * @param decay    nullable; modified: −lr·ω·θ_prev of the parameter's half is added to it
     *                 (nothing when that ω = 0)
     * @throws IllegalArgumentException for an unknown parameter or a shape that differs from the layout
     * @throws IllegalStateException    if the run is closed or {@code step} is out of order
     */
    @Override
    public void update(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        state.begin(step, parameter, weight, gradient, decay);
        if (muon.get(parameter)) {
            applyMuon(state.slot(parameter, MOMENTUM), weight, gradient, decay);
        } else {
            AdamWUpdate.apply(config.adamw(), step, state.slot(parameter, AdamWRun.MEAN),
                    state.slot(parameter, AdamWRun.SQUARE_MEAN), weight, gradient, decay);
        }
        state.advance(parameter);
    }

    private void applyMuon(NDArray buffer, NDArray weight, NDArray gradient, NDArray decay) {
        float beta = (float) config.momentum();
        float oneMinusBeta = (float) (1 - config.momentum());
        double lrDecay = config.learningRate() * config.weightDecay();
        long rows = weight.getShape().get(0);
        long cols = weight.getShape().get(1);
        float negativeStep = (float) -(config.learningRate() * Math.sqrt(Math.max(1.0, (double) rows / cols)));
        try (NDManager scope = NDManager.subManagerOf(weight)) {
            // Every allocating operation below has a scope-owned first operand, so its result is freed with scope.
            NDArray theta = weight.stopGradient();
            NDArray grad = gradient.stopGradient();
            scope.attachAll(theta, grad);
            scope.tempAttachAll(buffer);
            buffer.muli(beta).addi(grad.mul(oneMinusBeta));
            NDArray direction = config.nesterov() ? grad.mul(oneMinusBeta).addi(buffer.mul(beta)) : buffer;
            NDArray orthogonal = NewtonSchulz.orthogonalise(direction, config.nsSteps());
            if (lrDecay > 0) {
                if (decay != null) {
                    decay.addi(theta.mul((float) -lrDecay));
                }
                theta.muli((float) (1 - lrDecay));
            }
            theta.addi(orthogonal.mul(negativeStep));
        }
    }
}
