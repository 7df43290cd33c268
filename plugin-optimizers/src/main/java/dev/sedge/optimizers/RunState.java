package dev.sedge.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.optim.ParameterBuffers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The state of one optimizer run: for every parameter, its named <em>slots</em> (moment arrays
 * of the parameter's shape and data type) and the number of steps it has taken; and the
 * conversion of that state to and from plain {@link Tensor}s for checkpoints.
 *
 * <p>Storage: each slot is one flat 1-D array over the parameters that have it, in layout order
 * (one per data type if they differ), and each parameter's slot is a view of its segment. An
 * elementwise update can then run once over the whole flat slot ({@link #flatSlot}) against the
 * trainer's flat weights ({@link ParameterBuffers}), or once per parameter on the views
 * ({@link #slot}); both touch the same values.
 *
 * <p>Tensor names: {@code <optimizer>.<slot>.<parameter>} for a slot ({@code adam.m_grad.w}),
 * F32 (F64 for an F64 parameter), the parameter's shape; {@code <optimizer>.step.<parameter>}
 * for the step count, an F64 scalar holding a non-negative integer. Parameters and slots are in
 * layout order.
 *
 * <p>The slots are allocated at the run's first update, in a sub-manager of the manager of the
 * weights it is given (which must outlive the run): zeros, or the values of a state given to
 * {@link #restore}. Until then they are held as plain tensors, so a fresh run exports its initial
 * state (zeros, step 0) and a run can be restored before its first step. Confined to one thread.
 */
final class RunState implements AutoCloseable {

    private static final String STEP = "step";

    private final String optimizer;
    private final Set<String> zeroIfAbsent;
    private final Map<String, String> absorbs;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Owns every slot array; null until the first update. */
    private NDManager manager;
    /** Each slot's flat array when it covers every parameter with one data type; filled with the storage. */
    private final Map<String, NDArray> whole = new HashMap<>();
    private boolean closed;

    /** One parameter's state. */
    private static final class Entry {
        final TensorInfo info;
        final List<String> slots;
        long steps;
        /** Slot → view of the slot's flat array; null until allocated. */
        Map<String, NDArray> views;
        /** Slot → values to start from; null for zeros. */
        Map<String, Tensor> restored;

        Entry(TensorInfo info, List<String> slots) {
            this.info = info;
            this.slots = List.copyOf(slots);
        }
    }

    /** A run state whose restore takes exactly its own slots. */
    RunState(String optimizer, List<TensorInfo> parameters, Function<TensorInfo, List<String>> slotsOf) {
        this(optimizer, parameters, slotsOf, Set.of(), Map.of());
    }

    /**
     * @param optimizer  the provider's name, the first segment of every tensor name and of messages
     * @param parameters every parameter the run updates; not modified
     * @param slotsOf    the slot names of a parameter ({@code m_grad}, {@code v} …), lower-case
     *                   words without dots, never {@code step}; may be empty
     * @param zeroIfAbsent slots a restored state may lack, which then start at zeros: the weight-decay share of
     *                   a momentum, when the state was saved without weight decay (a run forked with decay on)
     * @param absorbs    slots this run does not have that a restored state may hold, by the slot of this run
     *                   their values are added to ({@code ""}: dropped, that slot already holds them): the
     *                   weight-decay share of a momentum, when the state was saved with weight decay (a run
     *                   forked with decay off keeps the whole momentum, only no longer split)
     * @throws IllegalArgumentException for a repeated name or a non-floating data type
     */
    RunState(String optimizer, List<TensorInfo> parameters, Function<TensorInfo, List<String>> slotsOf,
             Set<String> zeroIfAbsent, Map<String, String> absorbs) {
        this.optimizer = optimizer;
        this.zeroIfAbsent = Set.copyOf(zeroIfAbsent);
        this.absorbs = Map.copyOf(absorbs);
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
     * Checks one call of the per-parameter {@code update} and allocates the slots if this is the
     * run's first update.
     *
     * @param weight   not modified
     * @param gradient not modified
     * @param decay    nullable; not modified
     * @return the number of steps the parameter has taken before this one
     * @throws IllegalArgumentException for an unknown parameter or a shape other than the layout's
     * @throws IllegalStateException    if the run is closed or {@code step} is not the parameter's next
     */
    long begin(long step, String parameter, NDArray weight, NDArray gradient, NDArray decay) {
        requireOpen("update of " + parameter + " at step " + step);
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
        requireNext(entry, step);
        if (manager == null) {
            allocate(weight.getManager());
        }
        return entry.steps;
    }

    /**
     * Checks one call of the flat {@code update} of every parameter and allocates the slots if this
     * is the run's first update.
     *
     * @return the number of steps every parameter has taken before this one
     * @throws IllegalArgumentException if the buffers' layout is not this run's parameters in order
     * @throws IllegalStateException    if the run is closed or {@code step} is not every parameter's next
     */
    long beginAll(long step, ParameterBuffers parameters) {
        requireOpen("update at step " + step);
        List<TensorInfo> expected = entries.values().stream().map(e -> e.info).toList();
        if (!parameters.layout().equals(expected)) {
            throw new IllegalArgumentException(optimizer + ": the flat buffers hold " + names(parameters.layout())
                    + ", this run updates " + names(expected) + " (same names, shapes, types and order needed)");
        }
        for (Entry entry : entries.values()) {
            requireNext(entry, step);
        }
        if (manager == null) {
            allocate(parameters.weights().getManager());
        }
        return step - 1;
    }

    /** Records that {@code parameter} has taken one more step. */
    void advance(String parameter) {
        entries.get(parameter).steps++;
    }

    /** Records that every parameter has taken one more step. */
    void advanceAll() {
        entries.values().forEach(e -> e.steps++);
    }

    /**
     * A slot of a parameter; a view, updated in place by the run. Valid once the run's first update has
     * begun.
     *
     * @throws IllegalArgumentException for a slot the parameter does not have
     */
    NDArray slot(String parameter, String slot) {
        NDArray array = entries.get(parameter).views.get(slot);
        if (array == null) {
            throw new IllegalArgumentException(optimizer + ": parameter " + parameter + " has no slot " + slot);
        }
        return array;
    }

    /**
     * A slot over every parameter as one flat array, in the layout of {@link ParameterBuffers}; updated
     * in place by the run. Valid once the run's first update has begun.
     *
     * @throws IllegalStateException if some parameter lacks the slot or the parameters' data types differ
     */
    NDArray flatSlot(String slot) {
        NDArray array = whole.get(slot);
        if (array == null) {
            throw new IllegalStateException(optimizer + ": slot " + slot + " does not cover every parameter with"
                    + " one data type, so it has no flat form");
        }
        return array;
    }

    /** Allocates every slot, flat, from the restored values or zeros. */
    private void allocate(NDManager parent) {
        NDManager owner = parent.newSubManager();
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry entry : entries.values()) {
            for (String slot : entry.slots) {
                groups.computeIfAbsent(slot + "/" + entry.info.dtype(), k -> new ArrayList<>()).add(entry);
            }
        }
        for (Entry entry : entries.values()) {
            entry.views = new LinkedHashMap<>();
        }
        for (Map.Entry<String, List<Entry>> group : groups.entrySet()) {
            String slot = group.getKey().substring(0, group.getKey().indexOf('/'));
            List<Entry> members = group.getValue();
            NDArray flat = flatArray(owner, slot, members);
            if (members.size() == entries.size()) {
                whole.put(slot, flat);
            }
        }
        for (Entry entry : entries.values()) {
            entry.restored = null;
        }
        manager = owner;
    }

    /**
     * One slot's flat array over {@code members} (one data type): zeros, then each member's restored
     * values copied into its segment; with the members' views.
     */
    private static NDArray flatArray(NDManager owner, String slot, List<Entry> members) {
        long total = members.stream().mapToLong(e -> e.info.elementCount()).sum();
        NDArray flat = owner.zeros(new Shape(total), dataType(members.getFirst().info.dtype()));
        long offset = 0;
        for (Entry member : members) {
            long n = member.info.elementCount();
            NDArray view = ParameterBuffers.view(flat, offset, n, shapeOf(member.info));
            member.views.put(slot, view);
            Tensor values = member.restored == null ? null : member.restored.get(slot);
            if (values != null) {
                try (NDManager scope = owner.newSubManager()) {
                    NDArray stored = values.info().dtype() == DType.F64 ? scope.create(values.doubles(), view.getShape())
                            : scope.create(values.floats(), view.getShape());
                    view.set(new NDIndex(":"), stored.toType(view.getDataType(), false)); // an in-place copy
                }
            }
            offset += n;
        }
        return flat;
    }

    private static DataType dataType(DType dtype) {
        return switch (dtype) {
            case F64 -> DataType.FLOAT64;
            case F16 -> DataType.FLOAT16;
            case BF16 -> DataType.BFLOAT16;
            default -> DataType.FLOAT32;
        };
    }

    private static Shape shapeOf(TensorInfo info) {
        return new Shape(info.shape().stream().mapToLong(Long::longValue).toArray());
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
        if (entry.views != null) {
            NDArray array = entry.views.get(slot);
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
                if (zeroIfAbsent.contains(slot) && !byName.containsKey(name(slot, parameter))) {
                    continue; // starts at zeros
                }
                values.put(slot, shaped(take(byName, name(slot, parameter)), entry));
            }
            for (Map.Entry<String, String> absorbed : absorbs.entrySet()) {
                Tensor extra = byName.remove(name(absorbed.getKey(), parameter));
                if (extra != null && !absorbed.getValue().isEmpty()) {
                    Tensor into = values.get(absorbed.getValue());
                    values.put(absorbed.getValue(), sum(into, shaped(extra, entry)));
                }
            }
            slots.put(parameter, values);
            steps.put(parameter, stepCount(take(byName, name(STEP, parameter))));
        }
        if (!byName.isEmpty()) {
            throw new DataFormatException(optimizer + ": optimizer state holds tensors this run does not have: "
                    + byName.keySet().stream().sorted().toList() + "; it was saved by another optimizer or with "
                    + "another configuration (weight decay, momentum) or parameter list");
        }
        release();
        for (Entry entry : entries.values()) {
            entry.restored = slots.get(entry.info.name());
            entry.steps = steps.get(entry.info.name());
        }
    }

    private Tensor shaped(Tensor tensor, Entry entry) {
        if (!tensor.info().shape().equals(entry.info.shape())) {
            throw new DataFormatException(optimizer + ": optimizer state tensor '" + tensor.info().name()
                    + "' has shape " + tensor.info().shape() + ", but parameter " + entry.info.name() + " has "
                    + entry.info.shape() + "; restore a state saved for the same model");
        }
        return tensor;
    }

    /** {@code a + b} elementwise, in {@code a}'s data type, under {@code a}'s name. */
    private static Tensor sum(Tensor a, Tensor b) {
        if (a.info().dtype() == DType.F64) {
            double[] x = a.doubles();
            double[] y = b.doubles();
            for (int i = 0; i < x.length; i++) {
                x[i] += y[i];
            }
            return Tensor.ofDoubles(a.info().name(), a.info().shape(), x);
        }
        float[] x = a.floats();
        float[] y = b.floats();
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
        return Tensor.ofFloats(a.info().name(), a.info().dtype(), a.info().shape(), x);
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

    private void requireNext(Entry entry, long step) {
        if (step != entry.steps + 1) {
            throw new IllegalStateException(optimizer + ": parameter " + entry.info.name() + " expects step "
                    + (entry.steps + 1) + ", found " + step + "; update every parameter once for steps 1, 2, 3 ...");
        }
    }

    private static List<String> names(List<TensorInfo> infos) {
        List<String> out = infos.stream().map(i -> i.name() + i.shape()).toList();
        return out.size() <= 6 ? out : List.of(out.subList(0, 6) + " and " + (out.size() - 6) + " more");
    }

    /** Frees the slot arrays; the next update allocates them again. */
    private void release() {
        if (manager != null) {
            manager.close();
            manager = null;
            whole.clear();
            entries.values().forEach(e -> e.views = null);
        }
    }

    /** Frees every slot. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
