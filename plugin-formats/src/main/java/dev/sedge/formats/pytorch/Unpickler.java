package dev.sedge.formats.pytorch;

import dev.sedge.api.DataFormatException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted unpickler, written from scratch: it interprets the binary opcodes of plain data
 * (protocols 2 to 5: numbers, strings, bytes, lists, tuples, dicts, sets, the memo, marks) plus
 * {@code GLOBAL}/{@code STACK_GLOBAL} for the allowlisted names of {@link TorchGlobals},
 * {@code REDUCE} on them, {@code BUILD} on a dict (its attributes, such as a state dict's
 * {@code _metadata}, are dropped) and {@code BINPERSID} for storages. A global off the allowlist
 * is refused where it is named (the {@code GLOBAL}, {@code STACK_GLOBAL} or {@code INST} opcode,
 * with its byte offset), so no {@code REDUCE} ever sees it. Every other opcode (object
 * construction, extension registry, the text opcodes of protocol 0) is refused with its name and
 * byte offset. Nothing is executed; every length is checked against the data, so a
 * hostile pickle fails with a {@link DataFormatException} rather than an error or a hang.
 *
 * <p>One instance reads one pickle; not thread-safe.
 */
final class Unpickler {

    /** Marks the start of a MARK group on the stack. */
    private static final Object MARK = new Object();

    private final String where;
    private final byte[] data;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Pickled.Storage> storages = new LinkedHashMap<>();
    private int[] marks = new int[16];
    private int markCount;
    private int pos;

    private Unpickler(String where, byte[] data) {
        this.where = where;
        this.data = data;
    }

    /**
     * Unpickles {@code data}.
     *
     * @param where for messages: the file and the pickle's entry ({@code /x/a.pt entry 'a/data.pkl'})
     * @param data  not modified
     * @return the root object
     * @throws DataFormatException naming {@code where} for a refused global or opcode, or corrupt data
     */
    static Object load(String where, byte[] data) {
        return new Unpickler(where, data).run();
    }

    /**
     * One pickle of several written one after another (the legacy torch.save format): the value of the
     * pickle that starts at {@code offset}, and where the next begins.
     *
     * @param end the offset just past the pickle's STOP opcode
     */
    record Next(Object value, int end) {
    }

    /**
     * Unpickles the pickle of {@code data} that starts at {@code offset}.
     *
     * @throws DataFormatException as {@link #load}
     */
    static Next loadAt(String where, byte[] data, int offset) {
        Unpickler unpickler = new Unpickler(where, data);
        unpickler.pos = offset;
        Object value = unpickler.run();
        return new Next(value, unpickler.pos);
    }

    private Object run() {
        while (true) {
            if (pos >= data.length) {
                throw corrupt("it ends without a STOP opcode (truncated)");
            }
            int at = pos;
            int op = data[pos++] & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw corrupt("it uses pickle protocol " + protocol + "; sedge reads protocols 2 to 5");
                    }
                }
                case 0x95 -> take(8); // FRAME: a hint only
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> pushMark();
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'N' -> push(Pickled.None.NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | (u8() << 8)));
                case 'J' -> push((long) ByteBuffer.wrap(reversed(take(4))).getInt());
                case 0x8a -> push(longValue(take(u8()))); // LONG1
                case 0x8b -> push(longValue(take(length(i32())))); // LONG4
                case 'G' -> push(ByteBuffer.wrap(take(8)).getDouble()); // BINFLOAT, big-endian
                case 'X' -> push(utf8(take(length(u32())))); // BINUNICODE
                case 0x8c -> push(utf8(take(u8()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(take(length(u64())))); // BINUNICODE8
                case 'T' -> push(new String(take(length(i32())), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'U' -> push(new String(take(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'B' -> push(take(length(u32()))); // BINBYTES
                case 'C' -> push(take(u8())); // SHORT_BINBYTES
                case 0x8e -> push(take(length(u64()))); // BINBYTES8
                case ']', 0x8f -> push(new ArrayList<>()); // EMPTY_LIST, EMPTY_SET
                case 'l', 0x91 -> push(new ArrayList<>(popMark())); // LIST, FROZENSET
                case 'a' -> list(peekBelow(1), at).add(pop()); // APPEND
                case 'e', 0x90 -> { // APPENDS, ADDITEMS
                    List<Object> items = popMark();
                    list(peek(), at).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark(), at);
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek(), at).put(Pickled.checkedKey(where, key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putAll(dict(peek(), at), items, at);
                }
                case ')' -> push(new Pickled.Tuple(List.of()));
                case 't' -> push(new Pickled.Tuple(popMark()));
                case 0x85, 0x86, 0x87 -> { // TUPLE1..3
                    int n = op - 0x84;
                    List<Object> items = new ArrayList<>(stack.subList(checkedDepth(n), stack.size()));
                    stack.subList(stack.size() - n, stack.size()).clear();
                    push(new Pickled.Tuple(items));
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8(), at)); // BINGET
                case 'j' -> push(memoGet(u32(), at)); // LONG_BINGET
                case 'c' -> push(TorchGlobals.resolve(where, line(), line(), "GLOBAL at byte " + at));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw corrupt("STACK_GLOBAL at byte " + at + " needs two strings");
                    }
                    push(TorchGlobals.resolve(where, m, n, "STACK_GLOBAL at byte " + at));
                }
                case 'i' -> { // INST: a global and a call in one opcode; the global is judged first, then the opcode
                    TorchGlobals.resolve(where, line(), line(), "INST at byte " + at);
                    throw refused(op, at);
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    if (!(args instanceof Pickled.Tuple tuple)) {
                        throw corrupt("REDUCE at byte " + at + " needs an argument tuple, found " + PythonText.describe(args));
                    }
                    push(TorchGlobals.call(where, callable, tuple));
                }
                case 'b' -> { // BUILD: an OrderedDict's attributes (state_dict._metadata) are dropped
                    Object state = pop();
                    if (peek() instanceof Pickled.NumpyDtype dtype) { // its byte order
                        pop();
                        push(TorchGlobals.withState(where, dtype, state));
                    } else if (!(peek() instanceof Map<?, ?>)) {
                        throw corrupt("BUILD at byte " + at + " sets state " + PythonText.describe(state) + " on "
                                + PythonText.describe(peek()) + "; sedge only drops attributes of dicts");
                    }
                }
                case 'Q' -> push(TorchGlobals.storage(where, pop(), storages)); // BINPERSID
                default -> throw refused(op, at);
            }
        }
    }

    private DataFormatException refused(int op, int at) {
        return new DataFormatException(where + ": opcode " + opcodeName(op) + " at byte " + at
                + " is not one a state dict uses, so sedge refuses it (it reads plain data and tensors only,"
                + " and runs nothing). Save a state dict of tensors, dicts, lists and numbers");
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'P' -> "PERSID";
            case 'I', 'L', 'F', 'S', 'V', 'g', 'p' -> "protocol-0 text opcode";
            case 0x96, 0x97, 0x98 -> "protocol-5 buffer opcode";
            default -> "unknown";
        };
        return String.format("0x%02x (%s)", op, name);
    }

    private void putAll(Map<Object, Object> dict, List<Object> items, int at) {
        if (items.size() % 2 != 0) {
            throw corrupt("a dict opcode at byte " + at + " has an odd number of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(Pickled.checkedKey(where, items.get(i)), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object target, int at) {
        if (target instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw corrupt("an append opcode at byte " + at + " targets " + PythonText.describe(target) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object target, int at) {
        if (target instanceof LinkedHashMap<?, ?> dict) {
            return (Map<Object, Object>) dict;
        }
        throw corrupt("a set-item opcode at byte " + at + " targets " + PythonText.describe(target) + ", not a dict");
    }

    private Object memoGet(long index, int at) {
        Object value = memo.get(index);
        if (value == null) {
            throw corrupt("memo entry " + index + " is read at byte " + at + " before it is written");
        }
        return value;
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object pop() {
        if (stack.size() <= floor()) {
            throw corrupt("an opcode at byte " + (pos - 1) + " pops an empty stack");
        }
        return stack.removeLast();
    }

    private Object peek() {
        return peekBelow(0);
    }

    private Object peekBelow(int depth) {
        int index = stack.size() - 1 - depth;
        if (index < floor()) {
            throw corrupt("an opcode at byte " + (pos - 1) + " reads an empty stack");
        }
        return stack.get(index);
    }

    private int checkedDepth(int n) {
        if (stack.size() - n < floor()) {
            throw corrupt("a tuple opcode at byte " + (pos - 1) + " needs " + n + " items on the stack");
        }
        return stack.size() - n;
    }

    /** Items above the innermost mark belong to it; nothing below may be popped. */
    private int floor() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void pushMark() {
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = stack.size();
    }

    private List<Object> popMark() {
        if (markCount == 0) {
            throw corrupt("an opcode at byte " + (pos - 1) + " needs a MARK, and there is none");
        }
        int start = marks[--markCount];
        List<Object> items = new ArrayList<>(stack.subList(start, stack.size()));
        stack.subList(start, stack.size()).clear();
        return items;
    }

    private byte[] take(int n) {
        if (n < 0 || n > data.length - pos) {
            throw corrupt("an item at byte " + pos + " needs " + n + " bytes, only " + (data.length - pos) + " remain (truncated)");
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    private int u8() {
        return take(1)[0] & 0xFF;
    }

    private int i32() {
        return ByteBuffer.wrap(reversed(take(4))).getInt();
    }

    private long u32() {
        return Integer.toUnsignedLong(i32());
    }

    private long u64() {
        long v = ByteBuffer.wrap(reversed(take(8))).getLong();
        return v < 0 ? Long.MAX_VALUE : v;
    }

    private int length(long n) {
        if (n < 0 || n > data.length - pos) {
            throw corrupt("an item at byte " + pos + " claims " + n + " bytes, only " + (data.length - pos) + " remain");
        }
        return (int) n;
    }

    /** A newline-terminated ASCII line (the module and name of GLOBAL). */
    private String line() {
        int end = pos;
        while (end < data.length && data[end] != '\n' && end - pos < 256) {
            end++;
        }
        if (end >= data.length || data[end] != '\n') {
            throw corrupt("a GLOBAL name at byte " + pos + " is not a short newline-terminated line");
        }
        String s = new String(data, pos, end - pos, StandardCharsets.US_ASCII);
        pos = end + 1;
        return s;
    }

    private static Object longValue(byte[] littleEndian) {
        if (littleEndian.length == 0) {
            return 0L;
        }
        BigInteger v = new BigInteger(reversed(littleEndian));
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static byte[] reversed(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[b.length - 1 - i];
        }
        return out;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private DataFormatException corrupt(String what) {
        return new DataFormatException(where + ": the pickle is corrupt: " + what);
    }
}
