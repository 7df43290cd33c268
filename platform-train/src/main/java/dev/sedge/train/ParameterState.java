package dev.sedge.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.train.TrainingSession.ModelParameter;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Moves a session's state between the engine and plain Java: the group snapshot, the tensors of a
 * checkpoint, and their restoration on resume. Only plain arrays and {@link Tensor}s leave here; no
 * NDArray does. Confined to the session's thread.
 */
final class ParameterState {

    private final TrainingSession session;
    private final boolean recordsIntervals;
    /** The latest snapshot's arrays, reused by every snapshot; allocated by the first. */
    private float[] theta;
    private float[] decay;
    /**
     * What the snapshots since the last checkpoint drained from the accumulators, and what the
     * accumulators held at that checkpoint: the interval's Δθ_wd is drained + held now − held then.
     */
    private double[] drained;
    private float[] held;

    /**
     * @param recordsIntervals whether the optimizer fills the group's decay accumulators, so that each
     *                         checkpoint can record its interval's weight-decay part
     */
    ParameterState(TrainingSession session, boolean recordsIntervals) {
        this.session = session;
        this.recordsIntervals = recordsIntervals;
        int p = Math.toIntExact(session.group.dimension());
        this.drained = recordsIntervals ? new double[p] : null;
        this.held = recordsIntervals ? new float[p] : null;
    }

    /**
     * The group's values after step {@code step} and the weight-decay part accumulated since the last
     * snapshot; the accumulators are zeroed. The snapshot's arrays are this object's own, overwritten by
     * the next call (see {@link Snapshot}).
     */
    Snapshot snapshot(long step) {
        if (theta == null) {
            theta = new float[session.group.dimension()];
            decay = new float[theta.length];
        }
        int offset = 0;
        int member = 0;
        for (ModelParameter parameter : session.parameters) {
            if (!parameter.inGroup()) {
                continue;
            }
            NDArray accumulator = session.decay.get(member++);
            int length = copy(parameter.array(), theta, offset);
            copy(accumulator, decay, offset);
            offset += length;
        }
        session.decayAll.subi(session.decayAll); // the group's accumulators and the segments nobody reads
        if (recordsIntervals) {
            for (int i = 0; i < decay.length; i++) {
                drained[i] += decay[i];
            }
        }
        double rate = step > 0 ? session.optimizer.learningRate(step) : Double.NaN;
        return new Snapshot(step, theta, decay, rate);
    }

    /**
     * Copies a float32 array's values into {@code target} from {@code offset}, straight from the
     * engine's memory where the engine allows it: one copy and no garbage, where
     * {@link NDArray#toFloatArray} makes two and leaves two arrays of the group's size behind.
     *
     * @return how many values were copied
     */
    private static int copy(NDArray source, float[] target, int offset) {
        if (source.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("a spectrum group member is " + source.getDataType() + ", not float32");
        }
        FloatBuffer values = source.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        int length = values.remaining();
        values.get(0, target, offset, length);
        return length;
    }

    /**
     * Everything needed to resume after step {@code step}, copied off the engine, and the weight-decay
     * part of the group's change since the previous checkpoint (when recorded).
     */
    CheckpointState checkpoint(long step) {
        List<Tensor> parameters = new ArrayList<>();
        List<Tensor> decay = new ArrayList<>();
        List<Tensor> interval = new ArrayList<>();
        int member = 0;
        int offset = 0;
        for (ModelParameter p : session.parameters) {
            parameters.add(Tensor.ofFloats(p.name(), DType.F32, p.info().shape(), p.array().toFloatArray()));
            if (p.inGroup()) {
                float[] now = session.decay.get(member++).toFloatArray();
                decay.add(Tensor.ofFloats(p.name(), DType.F32, p.info().shape(), now));
                if (recordsIntervals) {
                    float[] part = new float[now.length];
                    for (int i = 0; i < now.length; i++) {
                        part[i] = (float) (drained[offset + i] + now[i] - held[offset + i]);
                        drained[offset + i] = 0;
                        held[offset + i] = now[i];
                    }
                    interval.add(Tensor.ofFloats(p.name(), DType.F32, p.info().shape(), part));
                }
                offset += now.length;
            }
        }
        return new CheckpointState(step, parameters, session.optimizer.state(), decay, interval);
    }

    /**
     * Restores a checkpoint's parameters, optimizer state and decay accumulators, bit for bit; the next
     * checkpoint's interval starts here.
     *
     * @param where for messages: the checkpoint files
     * @throws DataFormatException naming {@code where} if a tensor is missing or has another shape
     */
    void restore(CheckpointState state, String where) {
        Map<String, Tensor> parameters = byName(state.parameters());
        Map<String, Tensor> decay = byName(state.decay());
        int member = 0;
        int offset = 0;
        try (NDManager scope = session.manager.newSubManager()) {
            for (ModelParameter p : session.parameters) {
                copy(scope, require(parameters, p.info(), where), p.array());
                if (p.inGroup()) {
                    Tensor accumulator = require(decay, p.info(), where + " (weight-decay accumulators)");
                    copy(scope, accumulator, session.decay.get(member++));
                    if (recordsIntervals) {
                        float[] values = accumulator.floats();
                        System.arraycopy(values, 0, held, offset, values.length);
                    }
                    offset += Math.toIntExact(accumulator.info().elementCount());
                }
            }
        }
        session.optimizer.restore(state.optimizer());
    }

    /**
     * Restores only the parameters of a checkpoint, bit for bit: for analysing the model as it was,
     * not for training on (the optimizer state and decay accumulators are left as they are).
     *
     * @param where for messages: the checkpoint file
     * @throws DataFormatException naming {@code where} if a tensor is missing or has another shape
     */
    void restoreParameters(List<Tensor> tensors, String where) {
        Map<String, Tensor> parameters = byName(tensors);
        try (NDManager scope = session.manager.newSubManager()) {
            for (ModelParameter p : session.parameters) {
                copy(scope, require(parameters, p.info(), where), p.array());
            }
        }
    }

    private static Tensor require(Map<String, Tensor> tensors, TensorInfo expected, String where) {
        Tensor t = tensors.get(expected.name());
        if (t == null) {
            throw new DataFormatException(where + " has no tensor '" + expected.name() + "'; the model has "
                    + expected.shape() + " there. Was the run made with another architecture configuration?");
        }
        if (!t.info().shape().equals(expected.shape())) {
            throw new DataFormatException(where + ": tensor '" + expected.name() + "' has shape " + t.info().shape()
                    + ", the model expects " + expected.shape());
        }
        return t;
    }

    /** Copies {@code source}'s values into {@code target} in place (through a detached view), bit for bit. */
    private static void copy(NDManager scope, Tensor source, NDArray target) {
        NDArray view = target.stopGradient();
        scope.attachAll(view);
        long[] dims = source.info().shape().stream().mapToLong(Long::longValue).toArray();
        NDArray values = scope.create(source.floats(), new Shape(dims));
        view.set(new NDIndex(":"), values); // a full slice: an in-place copy_ of every value
    }

    private static Map<String, Tensor> byName(List<Tensor> tensors) {
        return tensors.stream().collect(Collectors.toMap(t -> t.info().name(), Function.identity(), (a, b) -> a));
    }
}
