package dev.sedge.api.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;

/**
 * One model: its DJL block, its loss, its named parameter groups and its named probe points.
 * Not thread-safe.
 *
 * <p>Contract of {@link #block()}: input an {@code NDList} of one INT32 array
 * (batch × sequenceLength) of tokens; output an {@code NDList} of one FLOAT32 array
 * (batch × classes) per head, in head order — or, for a task with a target per input position
 * ({@link dev.sedge.api.model.TaskShape#perPosition()}, an aligned target spec), one FLOAT32 array
 * (batch × T × classes) per head, T = sequenceLength. For a seq2seq task (a
 * {@link dev.sedge.api.task.TargetSpec.Decoded} spec, one head) the input is two INT32 arrays, the tokens
 * (batch × sequenceLength) and the decoder inputs (batch × L, classes of the head, 1 ≤ L ≤ T, T the spec's
 * length), and the output one FLOAT32 array batch × L × classes whose position t depends on the tokens
 * and decoder inputs 0 … t alone: under teacher forcing the host feeds L = T inputs
 * ({@link dev.sedge.api.task.TargetSpec.Decoded#teacherForced}), and greedy decoding feeds growing prefixes
 * ({@link GreedyDecoding#decode}). The block is not yet initialised; the host
 * initialises it with the run's seed before the first step.
 *
 * <p>Probe points ({@link #probePoints()}, {@link #probe}) name hidden activations h(x) the
 * functional modes read Δh at (docs/science.md, "Probe points and functional modes"): the residual stream at
 * position 0 before the final LayerNorm of a transformer, the logits of an imported model.
 */
public interface ModelSpec {

    /** The network. The same instance on every call. */
    Block block();

    /**
     * The training loss over the block's outputs and the INT32 labels (one array of batch labels per
     * head), or for a per-position task the INT32 targets (one batch × T array per head, IGNORE = −1 at
     * the positions the loss must skip). A scalar: the mean over the batch's examples (label task) or
     * over its non-IGNORE positions (per-position task); the host weights chunks by that count.
     */
    Loss loss();

    /** The groups the spectrum can be taken over; the first is the default. */
    List<ParameterGroup> groups();

    /**
     * Whether the block's outputs depend on its {@code training} flag (dropout, batch statistics).
     * When they do not, a full-batch training step's forward pass is also the train split's
     * evaluation of the parameters it starts from, and the host uses it as such instead of a
     * second pass. The default, {@code true}, is always safe; a model without dropout or batch
     * statistics returns {@code false} to save that pass. The architecture contract of the test
     * kit checks a {@code false} against the two passes.
     */
    default boolean trainingChangesOutputs() {
        return true;
    }

    /**
     * The points {@link #probe} reads: lower-kebab-case ({@link dev.sedge.api.Plugin#NAME}),
     * unique, in a fixed order, the same list on every call. The first is the default probe point
     * of the functional modes. A point named {@code logits}, if declared, is the block's outputs
     * concatenated in head order: batch × ΣC_h, head h in the C_h columns after those of heads
     * 0 … h−1; for a per-position model, batch × T·ΣC_h, position t's ΣC_h values (in head order)
     * in columns [t·ΣC_h, (t+1)·ΣC_h).
     *
     * <p>The default implementation, for a model written before probe points existed, returns
     * the empty list: such a model cannot be explained in a functional mode. Every built-in
     * architecture declares at least one point, and the architecture contract of the test kit
     * requires one.
     *
     * @return an immutable list
     */
    default List<String> probePoints() {
        return List.of();
    }

    /**
     * The activations at probe point {@code point} for a batch of inputs: one row per example.
     *
     * <p>Computed by the block's own forward pass, stopped at {@code point}: the same parameter
     * values, read through {@code parameters} as training reads them, and the same arithmetic, in
     * inference mode ({@code training = false}, so no dropout and no update of any running
     * statistic). With a non-copying store, as the host uses, the values are the parameter
     * arrays themselves, so an in-place change of a parameter (θ + εv) is seen by the next call.
     * Modifies neither the parameters, nor {@code parameters}, nor the block. The default
     * implementation refuses every point, as {@link #probePoints()} declares none.
     *
     * <p>Gradients: the call needs no {@link ai.djl.training.GradientCollector}, opens none and
     * records nothing of its own. Outside a collector (the host keeps grad mode off between
     * steps) nothing is recorded; inside one the arrays are recorded as any forward pass's are.
     *
     * <p>Memory: the result and every temporary the call creates belong to the manager of the
     * input tokens, never to the parameters' manager, so closing the inputs' manager (the host's
     * per-step sub-manager) frees them all.
     *
     * @param parameters the store the host trains with; the block must be initialised. Not
     *                   modified.
     * @param inputs     as for {@link #block()}: one INT32 array (batch × sequenceLength) of
     *                   tokens (and the decoder inputs, for a seq2seq model), batch &ge; 1. Not
     *                   modified.
     * @param point      one of {@link #probePoints()}
     * @return a new FLOAT32 array, batch × width, whose row i depends on example i alone; the
     *         width depends on the model and the point only, never on the batch. A point with a
     *         value per position (a causal model's residual stream, T × d per example) is
     *         flattened per example, position-major: width T·d, position t in columns
     *         [t·d, (t+1)·d)
     * @throws IllegalArgumentException if {@code point} is not one of {@link #probePoints()} (the
     *                                  message lists them), or the inputs are not as the block
     *                                  expects
     * @throws IllegalStateException    if the block is not initialised
     */
    default NDArray probe(ParameterStore parameters, NDList inputs, String point) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(point, "point");
        throw new IllegalArgumentException("unknown probe point '" + point + "': this model declares none");
    }
}
