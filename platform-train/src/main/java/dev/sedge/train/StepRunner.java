package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.sedge.api.NumericException;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.ParameterBuffers;
import dev.sedge.core.experiment.RunSeeds;
import dev.sedge.train.TrainingSession.ModelParameter;
import java.util.List;

/**
 * One optimizer step on a {@link TrainingSession}: the batch, forward and backward passes, the
 * global-norm gradient clip, the optimizer's update of every parameter, and the gradients zeroed for
 * the next step.
 *
 * <p>Memory: every array of a step — the batch, the forward pass's intermediates, the gradient
 * handles and the clip's temporaries — lives in a sub-manager of the run manager closed at the end of
 * the step. The weights stay on the run manager (never temp-attached), so the optimizer's state,
 * allocated on the weight's manager, outlives the step. Confined to the session's thread.
 */
final class StepRunner {

    /** PyTorch's {@code clip_grad_norm_} guard: the scale is clip / (norm + 1e-6). */
    private static final double CLIP_EPSILON = 1e-6;

    private final TrainingSession session;
    private final int batchSize;
    private final double clip;
    private final boolean accumulateDecay;
    /** The parameters in the order of the flat arrays. */
    private final List<TensorInfo> layout;

    /**
     * @param accumulateDecay whether the optimizer adds the group's weight-decay parts to the session's
     *                        accumulators (needed only when snapshots are taken)
     */
    StepRunner(TrainingSession session, boolean accumulateDecay) {
        this.session = session;
        this.accumulateDecay = accumulateDecay;
        this.batchSize = session.experiment.train().batchSize();
        this.clip = session.experiment.train().clip();
        this.layout = session.infos();
    }

    /**
     * Applies step {@code step}: full batch when {@code train.batch-size} is 0, else a minibatch drawn
     * with replacement from the train split by the step's own generator ({@link RunSeeds#sampling}).
     *
     * @param step  1-based; the steps before it were applied
     * @param train null, or (full batch only) the train split's tally of the evaluation after step
     *              {@code step − 1}, filled here from this step's forward pass, before any update
     * @throws NumericException if the loss is NaN or infinite: nothing is updated then ({@code train} is
     *                          filled, with that loss)
     */
    StepResult step(long step, Tally train) {
        if (train != null && batchSize != 0) {
            throw new IllegalArgumentException("only a full-batch step evaluates the train split");
        }
        session.engine.setRandomSeed(session.seeds.torchSeed(step));
        List<ModelParameter> parameters = session.parameters;
        try (NDManager scope = session.manager.newSubManager()) {
            NDList batch = batchSize == 0 ? session.train.chunk(scope, 0, session.train.size())
                    : session.train.sample(scope, batchSize, session.seeds.sampling(step));
            double loss;
            NDList outputs;
            try (GradientCollector collector = session.engine.newGradientCollector()) {
                outputs = session.spec.block().forward(session.store, session.train.inputs(batch), true);
                NDArray value = session.spec.loss().evaluate(session.train.labels(batch), outputs);
                collector.backward(value);
                loss = value.getFloat();
            }
            if (train != null) {
                train.add(0, session.train.labels(batch), outputs);
            }
            if (!Double.isFinite(loss)) {
                throw new NumericException("the training loss is " + loss + " at step " + step + " (before its"
                        + " update); the run stopped there and its directory keeps everything up to the last"
                        + " evaluation and checkpoint. Try a lower optimizer.learning-rate (now "
                        + session.optimizer.learningRate(step) + "), gradient clipping (train.clip, e.g. 1.0"
                        + (clip > 0 ? "; now " + clip : "") + "), or a smaller init-scale");
            }
            NDArray gradients = gradients(scope, parameters);
            double norm = gradients.norm().getFloat();
            boolean clipped = clip > 0 && norm > clip;
            if (clipped) {
                gradients.muli((float) (clip / (norm + CLIP_EPSILON)));
            }
            session.optimizer.update(step, new ParameterBuffers(session.weights, gradients,
                    accumulateDecay ? session.decayAll : null, layout));
            return new StepResult(step, loss, norm, clipped);
        }
    }

    /**
     * Every parameter's gradient end to end, in the layout of {@link TrainingSession#weights}, on
     * {@code scope}; the parameters' own gradients are zeroed in place for the next step (PyTorch
     * accumulates into them).
     */
    private static NDArray gradients(NDManager scope, List<ModelParameter> parameters) {
        NDArray[] gradients = new NDArray[parameters.size()];
        NDList pieces = new NDList(gradients.length);
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = parameters.get(i).array().getGradient();
            scope.attachAll(gradients[i]);
            pieces.add(gradients[i].reshape(-1));
        }
        NDArray flat = NDArrays.concat(pieces);
        for (NDArray gradient : gradients) {
            gradient.subi(gradient);
        }
        return flat;
    }
}
