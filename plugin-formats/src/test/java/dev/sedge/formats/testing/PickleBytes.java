package dev.sedge.formats.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pickles written opcode by opcode, as Python's {@code pickle} writes them: the payloads of
 * hostile checkpoints, and small state dicts for archives built in the tests.
 */
public final class PickleBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PickleBytes(int protocol) {
        out.write(0x80);
        out.write(protocol);
    }

    /** A pickle starting with {@code PROTO protocol}. */
    public static PickleBytes protocol(int protocol) {
        return new PickleBytes(protocol);
    }

    /** One opcode with no argument. */
    public PickleBytes op(char opcode) {
        out.write(opcode);
        return this;
    }

    /** One opcode with no argument, given by its byte value. */
    public PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    /** {@code GLOBAL module name}, as protocols 0 to 3 name a global. */
    public PickleBytes global(String module, String name) {
        return op('c').ascii(module + "\n" + name + "\n");
    }

    /** {@code INST module name}: calls the global with the items above the last MARK (protocol 0). */
    public PickleBytes inst(String module, String name) {
        return op('i').ascii(module + "\n" + name + "\n");
    }

    /** {@code SHORT_BINUNICODE module, SHORT_BINUNICODE name, STACK_GLOBAL}, as protocol 4 names a global. */
    public PickleBytes stackGlobal(String module, String name) {
        return shortUnicode(module).shortUnicode(name).op(0x93);
    }

    /** {@code BINUNICODE text}. */
    public PickleBytes unicode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    /** {@code SHORT_BINUNICODE text} (protocol 4). */
    public PickleBytes shortUnicode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x8c);
        out.write(b.length);
        out.writeBytes(b);
        return this;
    }

    /** An int: {@code BININT1} when it fits a byte, else {@code LONG1}. */
    public PickleBytes integer(long value) {
        if (value >= 0 && value < 256) {
            out.write('K');
            out.write((int) value);
            return this;
        }
        byte[] big = java.math.BigInteger.valueOf(value).toByteArray(); // big-endian, minimal two's complement
        out.write(0x8a);
        out.write(big.length);
        for (int i = big.length - 1; i >= 0; i--) {
            out.write(big[i]);
        }
        return this;
    }

    /** The bytes so far, then {@code STOP}. */
    public byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    /** The offset the next opcode will have. */
    public int position() {
        return out.size();
    }

    private PickleBytes ascii(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /**
     * {@code callable(argument)} by {@code REDUCE}, the global named as {@code style} names it: what
     * {@code pickle.dumps} writes for an object whose {@code __reduce__} returns {@code (module.name, (argument,))}.
     *
     * @param style {@code GLOBAL} (protocol 2), {@code STACK_GLOBAL} (protocol 4), {@code INST} (protocol 0's call of
     *              a class) or {@code OBJ} (protocol 1's)
     */
    public static Payload reduce(String style, String module, String name, String argument) {
        PickleBytes p = protocol(style.equals("STACK_GLOBAL") ? 4 : 2);
        int named;
        int call;
        switch (style) {
            case "GLOBAL" -> {
                named = p.position();
                p.global(module, name).unicode(argument).op(0x85);
                call = p.position();
                p.op('R');
            }
            case "STACK_GLOBAL" -> {
                p.shortUnicode(module).shortUnicode(name);
                named = p.position();
                p.op(0x93).unicode(argument).op(0x85);
                call = p.position();
                p.op('R');
            }
            case "INST" -> {
                p.op('(').unicode(argument);
                named = p.position();
                call = named;
                p.inst(module, name);
            }
            case "OBJ" -> {
                p.op('(');
                named = p.position();
                p.global(module, name).unicode(argument);
                call = p.position();
                p.op('o');
            }
            default -> throw new IllegalArgumentException(style);
        }
        return new Payload(p.stop(), named, call);
    }

    /**
     * A hostile pickle.
     *
     * @param bytes the pickle
     * @param named the offset of the opcode that names the global
     * @param call  the offset of the opcode that would call it (REDUCE, INST or OBJ)
     */
    public record Payload(byte[] bytes, int named, int call) {
    }

    /**
     * {@code {name: torch._utils._rebuild_tensor_v2(storage '0' of elements float32, 0, (elements,), (1,), False,
     * {})}}: a state dict of one tensor over storage entry {@code data/0}, as torch.save writes it.
     */
    public static byte[] stateDict(String name, long elements) {
        PickleBytes p = protocol(2).op('}').unicode(name).global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").integer(elements)
                .op('t').op('Q');
        p.integer(0).integer(elements).op(0x85).integer(1).op(0x85).op(0x89).op('}').op('t').op('R').op('s');
        return p.stop();
    }

    /** The entries of a torch.save archive named {@code prefix}: its pickle, then its storages, stored. */
    public static List<ZipBytes.Entry> torchArchive(String prefix, byte[] pickle, ZipBytes.Entry... storages) {
        List<ZipBytes.Entry> entries = new java.util.ArrayList<>();
        entries.add(ZipBytes.Entry.stored(prefix + "/data.pkl", pickle));
        entries.addAll(List.of(storages));
        entries.add(ZipBytes.Entry.stored(prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        return entries;
    }
}
