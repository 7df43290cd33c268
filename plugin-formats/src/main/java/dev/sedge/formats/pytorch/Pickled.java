package dev.sedge.formats.pytorch;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import java.math.BigInteger;
import java.util.List;

/**
 * The Python values the restricted unpickler builds, besides {@code String}, {@code Long},
 * {@code BigInteger}, {@code Double}, {@code Boolean}, {@code byte[]}, {@code ArrayList} (a list,
 * set or frozenset) and {@code LinkedHashMap} (a dict or OrderedDict).
 */
final class Pickled {

    private Pickled() {
    }

    /**
     * {@code key} if it may be a dict key here: a string, int, float, bool or None (what a state
     * dict uses; hashing anything else could recurse without end on a hostile pickle).
     *
     * @throws DataFormatException naming {@code where} otherwise
     */
    static Object checkedKey(String where, Object key) {
        if (key instanceof String || key instanceof Long || key instanceof BigInteger || key instanceof Double
                || key instanceof Boolean || key instanceof None) {
            return key;
        }
        throw new DataFormatException(where + ": a dict key is " + PythonText.describe(key)
                + "; sedge reads dicts keyed by strings, numbers, bools or None");
    }

    /** Python's {@code None}. */
    enum None {
        NONE
    }

    /** A tuple; {@code items} unmodifiable. */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items);
        }
    }

    /**
     * A numpy dtype, as {@code numpy.dtype('f8', False, True)} builds it and BUILD gives its byte order:
     * what a numpy scalar in a checkpoint ({@code np.float64(0.93)}) is decoded with.
     *
     * @param code        numpy's type code: {@code f8}, {@code f4}, {@code f2}, {@code i8} … {@code u1}, {@code b1}
     * @param littleEndian the byte order of its values ('<', or '|' for one byte, or '=' on a little-endian writer)
     */
    record NumpyDtype(String code, boolean littleEndian) {
    }

    /** A reference to an allowlisted global, such as {@code torch._utils._rebuild_tensor_v2}. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /**
     * A storage, from a persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}; an
     * untyped one ({@code torch.UntypedStorage}, numel in bytes) is U8.
     *
     * @param key      names the zip entry {@code <prefix>/data/<key>} holding its bytes
     * @param dtype    from the storage type
     * @param elements the number of elements it holds
     */
    record Storage(String key, DType dtype, long elements) {
    }

    /**
     * A torch dtype named as a value ({@code torch.float8_e4m3fn}): the element type
     * {@code _rebuild_tensor_v3} is given, or a plain value in a checkpoint's settings.
     *
     * @param name  torch's name, without {@code torch.}
     * @param dtype what its elements are read as
     */
    record TorchDtype(String name, DType dtype) {
    }

    /**
     * A tensor: a strided view of a storage, as {@code torch._utils._rebuild_tensor_v2} builds it (its
     * elements are the storage's type) or {@code _rebuild_tensor_v3} (an untyped storage of bytes read as
     * {@code dtype}).
     *
     * @param dtype   the element type
     * @param offset  in elements (of {@code dtype}) from the storage's start
     * @param shape   dimensions; unmodifiable
     * @param strides in elements, one per dimension; unmodifiable
     */
    record TensorRef(Storage storage, DType dtype, long offset, List<Long> shape, List<Long> strides) {
        TensorRef {
            shape = List.copyOf(shape);
            strides = List.copyOf(strides);
        }
    }
}
