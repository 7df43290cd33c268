package dev.sedge.formats.onnx;

import dev.sedge.api.DataFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one protobuf message in wire format from a memory segment: tags, varints, fixed 32/64-bit
 * values and length-delimited fields (returned as slices, so a 1 GB {@code raw_data} is not
 * copied). Groups (wire types 3 and 4) are refused. Every length is checked against the message.
 * Not thread-safe.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;
    static final int FIXED32 = 5;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment message;
    private final String where;
    private long pos;
    private int field;
    private int wireType;

    /**
     * @param message the message's bytes; not modified
     * @param where   for messages: the file and the message ({@code /x/m.onnx graph})
     */
    ProtoReader(MemorySegment message, String where) {
        this.message = message;
        this.where = where;
    }

    /** The file and message this reader reads, for messages. */
    String where() {
        return where;
    }

    /** Whether another field follows. */
    boolean hasNext() {
        return pos < message.byteSize();
    }

    /** Reads the next tag; then {@link #field()} and {@link #wireType()} describe it. */
    void next() {
        long tag = varint();
        field = (int) Math.min(tag >>> 3, Integer.MAX_VALUE);
        wireType = (int) (tag & 7);
        if (field == 0 || (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH && wireType != FIXED32)) {
            throw corrupt("bad tag " + tag + " (field " + field + ", wire type " + wireType + ")");
        }
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    /** A base-128 varint, at most 10 bytes. */
    long varint() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= message.byteSize()) {
                throw corrupt("a varint runs past the end");
            }
            byte b = message.get(ValueLayout.JAVA_BYTE, pos++);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw corrupt("a varint is longer than 10 bytes");
    }

    int fixed32() {
        require(4);
        int v = message.get(I32, pos);
        pos += 4;
        return v;
    }

    long fixed64() {
        require(8);
        long v = message.get(I64, pos);
        pos += 8;
        return v;
    }

    /** The bytes of a length-delimited field, as a slice. */
    MemorySegment bytes() {
        long length = varint();
        if (length < 0) {
            throw corrupt("a length of " + Long.toUnsignedString(length) + " bytes");
        }
        require(length);
        MemorySegment slice = message.asSlice(pos, length);
        pos += length;
        return slice;
    }

    String string() {
        return new String(bytes().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> fixed64();
            case LENGTH -> bytes();
            case FIXED32 -> fixed32();
            default -> throw corrupt("wire type " + wireType);
        }
    }

    /** The current field's value if it is a varint. */
    long varintField() {
        expect(VARINT);
        return varint();
    }

    /** The current field's value if it is length-delimited. */
    MemorySegment bytesField() {
        expect(LENGTH);
        return bytes();
    }

    String stringField() {
        expect(LENGTH);
        return string();
    }

    private void expect(int type) {
        if (wireType != type) {
            throw corrupt("field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private void require(long n) {
        if (n > message.byteSize() - pos) {
            throw corrupt("a field needs " + n + " bytes, only " + (message.byteSize() - pos) + " remain (truncated?)");
        }
    }

    private DataFormatException corrupt(String what) {
        return new DataFormatException(where + ": invalid protobuf at byte " + pos + ": " + what
                + "; the file is truncated, corrupt or not ONNX");
    }
}
