package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sedge.api.ConfigException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.model.ModelFactory;
import dev.sedge.train.TrainingSession.ModelParameter;
import java.util.List;

/**
 * The DJL model of an experiment as a neutral {@link ModelFunction}: a {@link TrainingSession} (the model
 * built and initialised as training builds it), whose probe points are the outputs. What
 * {@link dev.sedge.core.model.CheckpointModel} rebuilds a stored run with; the {@link ModelFactory} this
 * module provides.
 *
 * <p>Owns the session's DJL manager; {@link #close()} frees it. Confined to the thread that made it.
 */
public final class SessionModel implements ModelFunction {

    private final TrainingSession session;
    private final TaskShape shape;

    private SessionModel(TrainingSession session) {
        this.session = session;
        this.shape = TaskShape.of(session.data);
    }

    /** The factory of this module: found by {@code java.util.ServiceLoader} through {@code provides}. */
    public static final class Factory implements ModelFactory {

        @Override
        public ModelFunction create(Experiment experiment) {
            return new SessionModel(TrainingSession.open(experiment));
        }
    }

    @Override
    public TaskShape shape() {
        return shape;
    }

    @Override
    public List<TensorInfo> parameters() {
        return session.parameters.stream().map(ModelParameter::info).toList();
    }

    /** The model's probe points, the default first ({@link dev.sedge.api.djl.model.ModelSpec#probePoints()}). */
    @Override
    public List<String> outputs() {
        return session.spec.probePoints();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Loads the values into the model's parameters (they stay there until the next call) and runs
     * the probe in chunks of {@link Evaluator#CHUNK} inputs, as training's level metric does.
     */
    @Override
    public Activations apply(List<Tensor> parameters, int[] tokens, String output) {
        if (!outputs().contains(output)) {
            throw new ConfigException("the model has no probe point '" + output + "'; it has " + outputs());
        }
        SplitArrays inputs = SplitArrays.unlabelled(tokens, shape);
        new ParameterState(session, false).restoreParameters(parameters, "the parameter values given");
        try (NDManager scope = session.manager.newSubManager()) {
            NDArray features = Evaluator.features(session, inputs, output, scope);
            return new Activations(inputs.size(), Math.toIntExact(features.getShape().get(1)), features.toFloatArray());
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
