package dev.sedge.formats.npy;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a {@code .npy} array: magic {@code \x93NUMPY}, version 1.0, 2.0 or 3.0, a header
 * length (2 bytes in version 1, 4 after), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (16, 12), }}.
 *
 * <p>Element types read: {@code f2 f4 f8} (F16, F32, F64) and, listed but never read as values,
 * {@code i1 i2 i4 i8 u1 b1}. Byte order {@code <}, {@code |} and {@code =} are read as little
 * endian (numpy writes {@code =} never; {@code <} on every machine sedge runs on), {@code >} as big
 * endian. Object, string, structured, complex and other unsigned types are refused.
 *
 * @param dtype        element type
 * @param order        byte order of each element
 * @param fortranOrder whether the array is stored column-major
 * @param shape        dimensions; empty for a 0-d array
 * @param dataOffset   where the first element starts, from the start of the .npy bytes
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortranOrder, List<Long> shape, long dataOffset) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Enough bytes to hold any header sedge accepts. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    NpyHeader {
        shape = List.copyOf(shape);
    }

    /** Whether {@code start} begins with the .npy magic and a known major version. */
    static boolean hasMagic(byte[] start) {
        if (start.length < 8) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (start[i] != MAGIC[i]) {
                return false;
            }
        }
        return start[6] >= 1 && start[6] <= 3;
    }

    /**
     * Where the header that begins {@code start} ends (magic, version, length and dict), or -1
     * if {@code start} is too short to say or has no magic.
     */
    static long headerEnd(byte[] start) {
        if (!hasMagic(start)) {
            return -1;
        }
        int lengthBytes = start[6] == 1 ? 2 : 4;
        if (start.length < 8 + lengthBytes) {
            return -1;
        }
        long length = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            length = (length << 8) | (start[8 + i] & 0xFF);
        }
        return 8 + lengthBytes + length;
    }

    /**
     * Parses the header at the start of {@code start}.
     *
     * @param start the first bytes of the .npy data (at least the whole header); not modified
     * @param where for messages: the file, and the npz entry if any
     * @throws DataFormatException naming {@code where} for a malformed or refused header
     */
    static NpyHeader parse(byte[] start, String where) {
        if (!hasMagic(start)) {
            throw new DataFormatException(where + ": not a .npy array (no \\x93NUMPY magic with version 1, 2 or 3)");
        }
        int major = start[6];
        int prefix = major == 1 ? 10 : 12;
        long end = headerEnd(start);
        if (end < 0) {
            throw new DataFormatException(where + ": the .npy header is truncated");
        }
        long length = end - prefix;
        if (end > start.length) {
            throw new DataFormatException(where + ": the .npy header says it is " + length + " bytes, but only "
                    + (start.length - prefix) + " follow" + (length > MAX_HEADER_BYTES ? " (sedge reads headers up to "
                    + MAX_HEADER_BYTES + " bytes)" : "") + "; the array is truncated or corrupt");
        }
        String text = new String(start, prefix, (int) length,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new PythonLiteral(text, where).dict();
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shape instanceof List<?> s)) {
            throw new DataFormatException(where + ": the .npy header needs 'descr' (a type string), 'fortran_order'"
                    + " (a bool) and 'shape' (a tuple of ints), found " + text.strip()
                    + (descr instanceof List<?> ? "; structured arrays are not read, save each field as its own array" : ""));
        }
        List<Long> dims = new ArrayList<>();
        for (Object o : s) {
            if (!(o instanceof Long dim) || dim < 0) {
                throw new DataFormatException(where + ": the .npy shape must hold non-negative ints, found " + s);
            }
            dims.add(dim);
        }
        return new NpyHeader(dtype(d, where), order(d), f, dims, prefix + length);
    }

    private static ByteOrder order(String descr) {
        return descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static DType dtype(String descr, String where) {
        String code = descr.length() >= 2 && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        return switch (code) {
            case "f2" -> DType.F16;
            case "f4" -> DType.F32;
            case "f8" -> DType.F64;
            case "i1" -> DType.I8;
            case "i2" -> DType.I16;
            case "i4" -> DType.I32;
            case "i8" -> DType.I64;
            case "u1" -> DType.U8;
            case "u2" -> DType.U16;
            case "u4" -> DType.U32;
            case "u8" -> DType.U64;
            case "c8" -> DType.C64;
            case "b1" -> DType.BOOL;
            default -> throw new DataFormatException(where + ": the .npy dtype '" + descr + "' is not read"
                    + (code.startsWith("O") ? " (an object array needs pickle, which sedge never runs)" : "")
                    + "; sedge reads f2, f4, f8 (and lists i1..i8, u1..u8, c8, b1). Convert with a.astype(np.float32)");
        };
    }

    /** A parser for the small Python literal subset .npy headers use: dicts, tuples, lists, strings, ints, bools. */
    private static final class PythonLiteral {
        private final String text;
        private final String where;
        private int at;

        PythonLiteral(String text, String where) {
            this.text = text;
            this.where = where;
        }

        Map<String, Object> dict() {
            skipSpace();
            Object value = value(0);
            skipSpace();
            if (!(value instanceof Map<?, ?> map) || at != text.length()) {
                throw error("a dict literal");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }

        private Object value(int depth) {
            if (depth > 16) {
                throw error("less nesting");
            }
            skipSpace();
            if (at >= text.length()) {
                throw error("a value");
            }
            char c = text.charAt(at);
            if (c == '{' || c == '(' || c == '[') {
                return container(c, depth);
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, at + 1);
                if (end < 0) {
                    throw error("a closing quote");
                }
                String s = text.substring(at + 1, end);
                at = end + 1;
                return s;
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '-')) {
                at++;
            }
            String word = text.substring(start, at);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                default:
                    try {
                        return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
                    } catch (NumberFormatException e) {
                        throw error("a string, int, bool, tuple or dict");
                    }
            }
        }

        private Object container(char open, int depth) {
            char close = open == '{' ? '}' : open == '(' ? ')' : ']';
            at++;
            Map<Object, Object> map = new LinkedHashMap<>();
            List<Object> list = new ArrayList<>();
            while (true) {
                skipSpace();
                if (at < text.length() && text.charAt(at) == close) {
                    at++;
                    return open == '{' ? map : list;
                }
                Object item = value(depth + 1);
                if (open == '{') {
                    skipSpace();
                    expect(':');
                    map.put(item, value(depth + 1));
                } else {
                    list.add(item);
                }
                skipSpace();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at >= text.length() || text.charAt(at) != close) {
                    throw error("',' or '" + close + "'");
                }
            }
        }

        private void expect(char c) {
            if (at >= text.length() || text.charAt(at) != c) {
                throw error("'" + c + "'");
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private DataFormatException error(String expected) {
            return new DataFormatException(where + ": the .npy header is not a valid dict literal: expected "
                    + expected + " at character " + at + " of " + text.strip());
        }
    }
}
