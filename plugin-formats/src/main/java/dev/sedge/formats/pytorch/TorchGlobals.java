package dev.sedge.formats.pytorch;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allowlist of Python globals a {@code torch.save} state dict may name, and what each one
 * means. Nothing is ever looked up or called in Python: a global is only a name, and the
 * unpickler rebuilds the few allowed ones as plain data.
 *
 * <ul>
 *   <li>{@code collections.OrderedDict}: called with {@code ()} or a list of pairs, gives a dict;
 *   <li>{@code torch._utils._rebuild_tensor_v2} (and v1 {@code _rebuild_tensor}): gives a
 *       {@link Pickled.TensorRef} of its storage's type; a seventh argument (torch 2.x's tensor metadata)
 *       must not set the conjugate or negative bit;
 *   <li>{@code torch._utils._rebuild_tensor_v3} (torch 2.x, for the dtypes that have no typed storage:
 *       the 8-bit floats, uint16/32/64): a {@link Pickled.TensorRef} over an untyped storage, of the
 *       dtype it names;
 *   <li>{@code torch._utils._rebuild_parameter} and {@code _rebuild_parameter_with_state}: an
 *       {@code nn.Parameter}, read as its tensor;
 *   <li>{@code torch.FloatStorage} … {@code torch.BoolStorage}, {@code torch.ComplexFloatStorage} and
 *       torch 2.x's {@code torch.UntypedStorage} (numel in bytes): only inside a storage's persistent id
 *       {@code ('storage', type, key, location, numel)};
 *   <li>the torch dtypes {@code torch.float32} … {@code torch.float8_e8m0fnu} ({@link #DTYPES}): the
 *       element type of {@code _rebuild_tensor_v3}, or a value of their own;
 *   <li>{@code _codecs.encode(text, 'latin1')}: the bytes pickle protocol 2 writes that way;
 *   <li>{@code numpy.dtype(code, …)} of a number or bool type, with BUILD giving its byte order, and
 *       {@code numpy.core.multiarray.scalar(dtype, bytes)} (numpy 2: {@code numpy._core…}): a numpy scalar
 *       saved beside the weights ({@code np.float64(0.93)}), read as its number.
 * </ul>
 */
final class TorchGlobals {

    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final Set<String> REBUILD_TENSOR = Set.of("torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor");
    private static final String REBUILD_TENSOR_V3 = "torch._utils._rebuild_tensor_v3";
    private static final Set<String> REBUILD_PARAMETER = Set.of("torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state");
    private static final Map<String, DType> STORAGES = storages();
    /** The torch dtypes sedge reads, by name without {@code torch.}: every one torch.save writes but complex32, bits*, float4. */
    private static final Map<String, DType> DTYPES = dtypes();
    /** {@code _codecs.encode(text, 'latin1')}: how pickle protocol 2 (torch.save's) writes a bytes object. */
    private static final String ENCODE = "_codecs.encode";
    private static final String NUMPY_DTYPE = "numpy.dtype";
    /** Rebuilds a numpy scalar from its dtype and bytes (numpy 1 and 2 name its module differently). */
    private static final Set<String> NUMPY_SCALAR = Set.of("numpy.core.multiarray.scalar",
            "numpy._core.multiarray.scalar");

    private TorchGlobals() {
    }

    private static Map<String, DType> storages() {
        Map<String, DType> out = new LinkedHashMap<>();
        out.put("torch.FloatStorage", DType.F32);
        out.put("torch.DoubleStorage", DType.F64);
        out.put("torch.HalfStorage", DType.F16);
        out.put("torch.BFloat16Storage", DType.BF16);
        out.put("torch.LongStorage", DType.I64);
        out.put("torch.IntStorage", DType.I32);
        out.put("torch.ShortStorage", DType.I16);
        out.put("torch.CharStorage", DType.I8);
        out.put("torch.ByteStorage", DType.U8);
        out.put("torch.BoolStorage", DType.BOOL);
        out.put("torch.ComplexFloatStorage", DType.C64);
        out.put("torch.UntypedStorage", DType.U8);
        return out;
    }

    private static Map<String, DType> dtypes() {
        Map<String, DType> out = new LinkedHashMap<>();
        out.put("float64", DType.F64);
        out.put("float32", DType.F32);
        out.put("float16", DType.F16);
        out.put("bfloat16", DType.BF16);
        out.put("float8_e4m3fn", DType.F8_E4M3);
        out.put("float8_e5m2", DType.F8_E5M2);
        out.put("float8_e4m3fnuz", DType.F8_E4M3FNUZ);
        out.put("float8_e5m2fnuz", DType.F8_E5M2FNUZ);
        out.put("float8_e8m0fnu", DType.F8_E8M0);
        out.put("int64", DType.I64);
        out.put("int32", DType.I32);
        out.put("int16", DType.I16);
        out.put("int8", DType.I8);
        out.put("uint64", DType.U64);
        out.put("uint32", DType.U32);
        out.put("uint16", DType.U16);
        out.put("uint8", DType.U8);
        out.put("bool", DType.BOOL);
        out.put("complex64", DType.C64);
        return out;
    }

    /** Every allowed global, for messages. */
    static List<String> allowed() {
        List<String> out = new ArrayList<>();
        out.add(ORDERED_DICT);
        out.addAll(REBUILD_TENSOR.stream().sorted().toList());
        out.add(REBUILD_TENSOR_V3);
        out.addAll(REBUILD_PARAMETER.stream().sorted().toList());
        out.addAll(STORAGES.keySet());
        DTYPES.keySet().forEach(name -> out.add("torch." + name));
        out.add(ENCODE);
        out.add(NUMPY_DTYPE);
        out.addAll(NUMPY_SCALAR.stream().sorted().toList());
        return out;
    }

    /**
     * The global {@code module.name} if it is allowed: a {@link Pickled.TorchDtype} for a torch dtype, else a
     * {@link Pickled.Global}.
     *
     * @param where file and pickle entry, for the message
     * @param opcode the opcode that names it and its offset ({@code GLOBAL at byte 2}), for the message
     * @throws DataFormatException naming the global, the opcode and the file otherwise
     */
    static Object resolve(String where, String module, String name, String opcode) {
        Pickled.Global global = new Pickled.Global(module, name);
        String q = global.qualified();
        if (module.equals("torch") && DTYPES.containsKey(name)) {
            return new Pickled.TorchDtype(name, DTYPES.get(name));
        }
        if (q.equals(ORDERED_DICT) || REBUILD_TENSOR.contains(q) || q.equals(REBUILD_TENSOR_V3) || REBUILD_PARAMETER.contains(q) || STORAGES.containsKey(q)
                || q.equals(ENCODE) || q.equals(NUMPY_DTYPE) || NUMPY_SCALAR.contains(q)) {
            return global;
        }
        String hint = q.startsWith("torch.nn.") || q.startsWith("__main__.") || q.startsWith("__torch__.")
                ? " It looks like a whole pickled model or module: in Python, load it and save model.state_dict()"
                        + " instead."
                : " If this is a checkpoint of your own, save only tensors, dicts, lists and plain numbers/strings.";
        String shown = q.length() > 120 ? q.substring(0, 120) + "…" : q; // STACK_GLOBAL names may be any length
        throw new DataFormatException(where + " asks for the Python global '" + shown + "' (" + opcode + "), which sedge"
                + " refuses: it rebuilds only tensors and plain containers, and never runs code from a file." + hint
                + " Allowed globals: " + String.join(", ", allowed()));
    }

    /**
     * What calling {@code callable(*args)} (the REDUCE opcode) builds.
     *
     * @throws DataFormatException if the global is not callable here or the arguments are not what torch writes
     */
    static Object call(String where, Object callable, Pickled.Tuple args) {
        if (!(callable instanceof Pickled.Global global)) {
            throw new DataFormatException(where + ": REDUCE applies " + PythonText.describe(callable)
                    + ", which is not a callable global; the pickle is corrupt");
        }
        String q = global.qualified();
        List<Object> a = args.items();
        if (q.equals(ORDERED_DICT)) {
            return orderedDict(where, a);
        }
        if (REBUILD_TENSOR.contains(q) || q.equals(REBUILD_TENSOR_V3)) {
            return rebuildTensor(where, q, a);
        }
        if (REBUILD_PARAMETER.contains(q)) {
            if (a.isEmpty() || !(a.getFirst() instanceof Pickled.TensorRef tensor)) {
                throw badArguments(where, q, a);
            }
            return tensor;
        }
        if (q.equals(ENCODE)) {
            if (a.size() != 2 || !(a.get(0) instanceof String text) || !"latin1".equals(a.get(1))) {
                throw badArguments(where, q, a);
            }
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (q.equals(NUMPY_DTYPE)) {
            if (a.isEmpty() || !(a.getFirst() instanceof String code) || !NUMPY_CODES.contains(code)) {
                throw badArguments(where, q, a);
            }
            return new Pickled.NumpyDtype(code, true);
        }
        if (NUMPY_SCALAR.contains(q)) {
            if (a.size() != 2 || !(a.get(0) instanceof Pickled.NumpyDtype dtype) || !(a.get(1) instanceof byte[] bytes)) {
                throw badArguments(where, q, a);
            }
            return numpyScalar(where, dtype, bytes);
        }
        throw new DataFormatException(where + ": the pickle calls " + q + ", which may only appear inside a storage"
                + " reference; the pickle is corrupt or not written by torch.save");
    }

    /** The numpy type codes of the scalars sedge decodes: floats, signed and unsigned integers, bool. */
    private static final Set<String> NUMPY_CODES = Set.of("f8", "f4", "f2", "i8", "i4", "i2", "i1", "u8", "u4", "u2",
            "u1", "b1");

    /**
     * {@code dtype} after BUILD with numpy's state tuple {@code (version, byteorder, …)}: its byte order.
     *
     * @throws DataFormatException for a state numpy does not write
     */
    static Pickled.NumpyDtype withState(String where, Pickled.NumpyDtype dtype, Object state) {
        if (!(state instanceof Pickled.Tuple(List<Object> items)) || items.size() < 2
                || !(items.get(1) instanceof String order) || !List.of("<", ">", "|", "=").contains(order)) {
            throw new DataFormatException(where + ": numpy dtype state " + PythonText.describe(state) + " is not what"
                    + " numpy writes; the pickle is corrupt");
        }
        return new Pickled.NumpyDtype(dtype.code(), !order.equals(">"));
    }

    /** A numpy scalar's value: a Double, a Long (a BigInteger for a u8 above 2^63) or a Boolean. */
    private static Object numpyScalar(String where, Pickled.NumpyDtype dtype, byte[] bytes) {
        int size = Integer.parseInt(dtype.code().substring(1));
        if (bytes.length != size) {
            throw new DataFormatException(where + ": a numpy " + dtype.code() + " scalar of " + bytes.length
                    + " bytes; the pickle is corrupt");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(dtype.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        return switch (dtype.code()) {
            case "f8" -> b.getDouble();
            case "f4" -> (double) b.getFloat();
            case "f2" -> (double) Float.float16ToFloat(b.getShort());
            case "i8" -> b.getLong();
            case "i4" -> (long) b.getInt();
            case "i2" -> (long) b.getShort();
            case "i1" -> (long) b.get();
            case "u8" -> new BigInteger(Long.toUnsignedString(b.getLong()));
            case "u4" -> Integer.toUnsignedLong(b.getInt());
            case "u2" -> (long) Short.toUnsignedInt(b.getShort());
            case "u1" -> (long) Byte.toUnsignedInt(b.get());
            case "b1" -> b.get() != 0;
            default -> throw new IllegalStateException("unchecked numpy code " + dtype.code());
        };
    }

    /**
     * The storage named by a persistent id {@code ('storage', type, key, location, numel)}, or by the legacy
     * format's {@code ('storage', type, key, location, numel, None)}; the same key gives the same storage. A
     * legacy view of another storage (a sixth element that is not None) is refused.
     *
     * @param cache modified: storages by key
     */
    static Pickled.Storage storage(String where, Object pid, Map<String, Pickled.Storage> cache) {
        if (pid instanceof Pickled.Tuple(List<Object> legacy) && legacy.size() == 6) {
            if (legacy.get(5) != Pickled.None.NONE) {
                throw new DataFormatException(where + ": a storage is saved as a view of another ("
                        + PythonText.describe(legacy.get(5)) + "), which sedge does not read; re-save the checkpoint"
                        + " with torch >= 1.6 (zip format)");
            }
            pid = new Pickled.Tuple(legacy.subList(0, 5));
        }
        if (!(pid instanceof Pickled.Tuple(List<Object> p)) || p.size() != 5 || !"storage".equals(p.get(0))
                || !(p.get(1) instanceof Pickled.Global type) || !STORAGES.containsKey(type.qualified())
                || !(p.get(2) instanceof String key) || !(p.get(4) instanceof Long elements) || elements < 0) {
            throw new DataFormatException(where + ": persistent id " + PythonText.describe(pid) + " is not a torch storage"
                    + " reference ('storage', torch.XStorage, key, location, numel); the pickle is corrupt or not"
                    + " written by torch.save");
        }
        Pickled.Storage storage = new Pickled.Storage(key, STORAGES.get(type.qualified()), elements);
        Pickled.Storage known = cache.putIfAbsent(key, storage);
        if (known != null && !known.equals(storage)) {
            throw new DataFormatException(where + ": storage '" + key + "' is referenced both as " + known.dtype()
                    + " x " + known.elements() + " and as " + storage.dtype() + " x " + storage.elements()
                    + "; the pickle is corrupt");
        }
        return known != null ? known : storage;
    }

    private static Map<Object, Object> orderedDict(String where, List<Object> a) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (a.isEmpty()) {
            return dict;
        }
        if (a.size() == 1 && a.getFirst() instanceof List<?> pairs) {
            for (Object pair : pairs) {
                List<?> kv = pair instanceof Pickled.Tuple(List<Object> items) ? items : pair instanceof List<?> l ? l : null;
                if (kv == null || kv.size() != 2) {
                    throw badArguments(where, ORDERED_DICT, a);
                }
                dict.put(Pickled.checkedKey(where, kv.get(0)), kv.get(1));
            }
            return dict;
        }
        throw badArguments(where, ORDERED_DICT, a);
    }

    /**
     * {@code _rebuild_tensor(storage, offset, size, stride)}, {@code _rebuild_tensor_v2(…, requires_grad, hooks
     * [, metadata])} or {@code _rebuild_tensor_v3(…, requires_grad, hooks, dtype[, metadata])}.
     */
    private static Pickled.TensorRef rebuildTensor(String where, String q, List<Object> a) {
        boolean v3 = q.equals(REBUILD_TENSOR_V3);
        if (a.size() < 4 || a.size() > (v3 ? 8 : 7) || !(a.get(0) instanceof Pickled.Storage storage)
                || !(a.get(1) instanceof Long offset) || offset < 0 || !(a.get(2) instanceof Pickled.Tuple(List<Object> size))
                || !(a.get(3) instanceof Pickled.Tuple(List<Object> stride)) || size.size() != stride.size()) {
            throw badArguments(where, q, a);
        }
        DType dtype = storage.dtype();
        if (v3) {
            if (a.size() < 7 || !(a.get(6) instanceof Pickled.TorchDtype named) || storage.dtype() != DType.U8) {
                throw badArguments(where, q, a);
            }
            dtype = named.dtype();
        }
        int metadata = v3 ? 7 : 6;
        if (a.size() > metadata) {
            checkMetadata(where, q, a, a.get(metadata));
        }
        return new Pickled.TensorRef(storage, dtype, offset, longs(where, q, a, size), longs(where, q, a, stride));
    }

    /**
     * torch 2.x's tensor metadata ({@code torch._utils.get_tensor_metadata}): a dict of flags, of which sedge reads
     * none; a set conjugate or negative bit would change the values, so it is refused.
     */
    private static void checkMetadata(String where, String q, List<Object> a, Object metadata) {
        if (!(metadata instanceof Map<?, ?> flags)) {
            throw badArguments(where, q, a);
        }
        for (Map.Entry<?, ?> flag : flags.entrySet()) {
            if (!Boolean.FALSE.equals(flag.getValue())) {
                throw new DataFormatException(where + ": a tensor is saved with the flag " + PythonText.describe(
                        flag.getKey()) + " = " + PythonText.describe(flag.getValue()) + " (a lazy conjugate or"
                        + " negation), which sedge does not apply; in Python, save t.resolve_conj().resolve_neg()");
            }
        }
    }

    private static List<Long> longs(String where, String q, List<Object> a, List<Object> items) {
        List<Long> out = new ArrayList<>(items.size());
        for (Object o : items) {
            if (!(o instanceof Long v) || v < 0) {
                throw badArguments(where, q, a);
            }
            out.add(v);
        }
        return out;
    }

    private static DataFormatException badArguments(String where, String q, List<Object> a) {
        return new DataFormatException(where + ": " + q + " is called with " + PythonText.describe(new Pickled.Tuple(a))
                + ", not the arguments torch.save writes; the pickle is corrupt or from an unsupported torch version");
    }
}
