package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The state of one optimizer run: for every parameter, its named <em>slots</em> (moment arrays
 * of the parameter's shape and data type) and the number of steps it has taken; and the
 * conversion of that state to and from plain {@link Tensor}s for checkpoints.
 *
 * <p>Tensor names: {@code <optimizer>.<slot>.<parameter>} for a slot ({@code adam.m_grad.w}),
 * F32 (F64 for an F64 parameter), the parameter's shape; {@code <optimizer>.step.<parameter>}
 * for the step count, an F64 scalar holding a non-negative integer. Parameters and slots are in
 * layout order.
 *
 * <p>A parameter's slots are allocated at its first update, in a sub-manager of its weight's
 * manager (which must outlive the run): zeros, or the values of a state given to
 * {@link #restore}. Until then they are held as plain tensors, so a fresh run exports its initial
 * state (zeros, step 0) and a run can be restored before its first step. Confined to one thread.
 */
final class RunState implements AutoCloseable {

    private static final String STEP = "step";

    private final String optimizer;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean closed;

    /** One parameter's state. */
    private static final class Entry {
        final TensorInfo info;
        final List<String> slots;
        long steps;
        NDManager manager;
        Map<String, NDArray> arrays;
        Map<String, Tensor> restored;

        Entry(TensorInfo info, List<String> slots) {
            this.info = info;
            this.slots = List.copyOf(slots);
        }

        void release() {
            if (manager != null) {
                manager.close();
                manager = null;
                arrays = null;
            }
        }
    }

    /**
     * @param optimizer  the provider's name, the first segment of every tensor name and of messages
     * @param parameters every parameter the run updates; not modified
     * @param slotsOf    the slot names of a parameter ({@code m_grad}, {@code v} …), lower-case
     *                   words without dots, never {@code step}; may be empty
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    RunState(String optimizer, List<TensorInfo> parameters, Function<TensorInfo, List<String>> slotsOf) {
        this.optimizer = optimizer;
        for (TensorInfo info : parameters) {
            if (!info.dtype().isFloating()) {
                throw new IllegalArgumentException(optimizer + " updates floating-point parameters only; "
                        + info.name() + " is " + info.dtype());
            }
            List<String> slots = slotsOf.apply(info);
            if (slots.contains(STEP) || slots.stream().anyMatch(s -> s.contains("."))) {
                throw new IllegalArgumentException("bad slot names " + slots);
            }
            if (entries.putIfAbsent(info.name(), new Entry(info, slots)) != null) {
                throw new IllegalArgumentException("parameter " + info.name() + " is listed twice");
            }
        }
    }

    /**
     * Checks one call of {@code update} and allocates the parameter's slots if this is its first.
     *
     * @param weight   not modified
     * @param gradient not modified
     * @param decay    nullable; not modified
     * @return the number of steps the parameter has taken before this one
     * @throws IllegalArgumentException for an unknown parameter or a shape other than the layout's
     * @throws IllegalStateException    if the run is closed or {@code step} is not the parameter's next
     */
    long begin(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        if (closed) {
            throw new IllegalStateException(optimizer + ": update of " + parameter + " at step " + step
                    + " after close()");
        }
        Entry entry = entries.get(parameter);
        if (entry == null) {
            throw new IllegalArgumentException(optimizer + ": unknown parameter '" + parameter + "'; this run updates "
                    + entries.keySet());
        }
        requireShape(entry.info, "weight", weight);
        requireShape(entry.info, "gradient", gradient);
        if (decay != null) {
            requireShape(entry.info, "decay", decay);
        }
        if (step != entry.steps + 1) {
            throw new IllegalStateException(optimizer + ": parameter " + parameter + " expects step "
                    + (entry.steps + 1) + ", found " + step + "; call update once per parameter for steps 1, 2, 3 ...");
        }
        if (entry.arrays == null) {
            allocate(entry, weight);
        }
        return entry.steps;
    }

    /** Records that {@code parameter} has taken one more step. */
    void advance(String parameter) {
        entries.get(parameter).steps++;
    }

    /**
     * A slot of a parameter that {@link #begin} has seen; updated in place by the run.
     *
     * @throws IllegalArgumentException for a slot the parameter does not have
     */
    NDArray slot(String parameter, String slot) {
        NDArray array = entries.get(parameter).arrays.get(slot);
        if (array == null) {
            throw new IllegalArgumentException(optimizer + ": parameter " + parameter + " has no slot " + slot);
        }
        return array;
    }

    private void allocate(Entry entry, NDArray weight) {
        NDManager manager = weight.getManager().newSubManager();
        Shape shape = weight.getShape();
        DataType type = weight.getDataType();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String slot : entry.slots) {
            Tensor values = entry.restored == null ? null : entry.restored.get(slot);
            if (values == null) {
                arrays.put(slot, manager.zeros(shape, type));
                continue;
            }
            NDArray stored = values.info().dtype() == DType.F64 ? manager.create(values.doubles(), shape)
                    : manager.create(values.floats(), shape);
            NDArray array = stored.toType(type, false);
            if (array != stored) {
                stored.close();
            }
            arrays.put(slot, array);
        }
        entry.manager = manager;
        entry.arrays = arrays;
        entry.restored = null;
    }

    /** See {@link dev.sedge.api.djl.optim.OptimizerRun#state()}. */
    List<Tensor> export() {
        requireOpen("state()");
        List<Tensor> out = new ArrayList<>();
        for (Entry entry : entries.values()) {
            for (String slot : entry.slots) {
                out.add(exportSlot(entry, slot));
            }
            out.add(Tensor.ofDoubles(name(STEP, entry.info.name()), List.of(), new double[] {entry.steps}));
        }
        return out;
    }

    private Tensor exportSlot(Entry entry, String slot) {
        String name = name(slot, entry.info.name());
        boolean f64 = entry.info.dtype() == DType.F64;
        if (entry.arrays != null) {
            NDArray array = entry.arrays.get(slot);
            try (NDArray converted = array.toType(f64 ? DataType.FLOAT64 : DataType.FLOAT32, true)) {
                return f64 ? Tensor.ofDoubles(name, entry.info.shape(), converted.toDoubleArray())
                        : Tensor.ofFloats(name, DType.F32, entry.info.shape(), converted.toFloatArray());
            }
        }
        Tensor restored = entry.restored == null ? null : entry.restored.get(slot);
        int n = Math.toIntExact(entry.info.elementCount());
        if (f64) {
            return Tensor.ofDoubles(name, entry.info.shape(), restored == null ? new double[n] : restored.doubles());
        }
        float[] values = restored == null ? new float[n] : restored.floats();
        return Tensor.ofFloats(name, DType.F32, entry.info.shape(), values);
    }

    /**
     * See {@link dev.sedge.api.djl.optim.OptimizerRun#restore}. All or nothing: the whole state is
     * checked before any of it replaces the run's.
     *
     * @param state not modified
     * @throws DataFormatException for a missing, unexpected, repeated or misshapen tensor, or a
     *                             step count that is not a non-negative integer
     */
    void restore(List<Tensor> state) {
        requireOpen("restore()");
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor tensor : state) {
            String name = tensor.info().name();
            if (byName.putIfAbsent(name, tensor) != null) {
                throw new DataFormatException(optimizer + ": optimizer state holds '" + name + "' twice");
            }
            if (!tensor.info().dtype().isFloating()) {
                throw new DataFormatException(optimizer + ": optimizer state tensor '" + name + "' is "
                        + tensor.info().dtype() + ", expected F32 or F64");
            }
        }
        Map<String, Map<String, Tensor>> slots = new LinkedHashMap<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        for (Entry entry : entries.values()) {
            String parameter = entry.info.name();
            Map<String, Tensor> values = new HashMap<>();
            for (String slot : entry.slots) {
                Tensor tensor = take(byName, name(slot, parameter));
                if (!tensor.info().shape().equals(entry.info.shape())) {
                    throw new DataFormatException(optimizer + ": optimizer state tensor '" + tensor.info().name()
                            + "' has shape " + tensor.info().shape() + ", but parameter " + parameter + " has "
                            + entry.info.shape() + "; restore a state saved for the same model");
                }
                values.put(slot, tensor);
            }
            slots.put(parameter, values);
            steps.put(parameter, stepCount(take(byName, name(STEP, parameter))));
        }
        if (!byName.isEmpty()) {
            throw new DataFormatException(optimizer + ": optimizer state holds tensors this run does not have: "
                    + byName.keySet().stream().sorted().toList() + "; it was saved by another optimizer or with "
                    + "another configuration (weight decay, momentum) or parameter list");
        }
        for (Entry entry : entries.values()) {
            entry.release();
            entry.restored = slots.get(entry.info.name());
            entry.steps = steps.get(entry.info.name());
        }
    }

    private Tensor take(Map<String, Tensor> byName, String name) {
        Tensor tensor = byName.remove(name);
        if (tensor == null) {
            throw new DataFormatException(optimizer + ": optimizer state lacks '" + name + "' (expected "
                    + expectedNames() + "); it was saved by another optimizer or with another configuration "
                    + "(weight decay, momentum) or parameter list");
        }
        return tensor;
    }

    private long stepCount(Tensor tensor) {
        double[] values = tensor.doubles();
        double v = values.length == 1 ? values[0] : Double.NaN;
        if (!tensor.info().shape().isEmpty() || !(v >= 0) || v != Math.rint(v) || v > (1L << 53)) {
            throw new DataFormatException(optimizer + ": optimizer state tensor '" + tensor.info().name()
                    + "' must be a scalar holding a non-negative integer step count, found shape "
                    + tensor.info().shape() + " and values " + Arrays.toString(values));
        }
        return (long) v;
    }

    private String expectedNames() {
        List<String> names = new ArrayList<>();
        for (Entry entry : entries.values()) {
            entry.slots.forEach(slot -> names.add(name(slot, entry.info.name())));
            names.add(name(STEP, entry.info.name()));
        }
        return names.size() <= 8 ? names.toString() : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }

    private String name(String slot, String parameter) {
        return optimizer + "." + slot + "." + parameter;
    }

    private void requireOpen(String call) {
        if (closed) {
            throw new IllegalStateException(optimizer + ": " + call + " after close()");
        }
    }

    private void requireShape(TensorInfo info, String what, NDArray array) {
        Shape shape = array.getShape();
        long[] expected = info.shape().stream().mapToLong(Long::longValue).toArray();
        if (!Arrays.equals(shape.getShape(), expected)) {
            throw new IllegalArgumentException(optimizer + ": " + what + " of " + info.name() + " has shape " + shape
                    + ", the layout says " + info.shape());
        }
    }

    /** Frees every slot. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            entries.values().forEach(Entry::release);
        }
    }
}
