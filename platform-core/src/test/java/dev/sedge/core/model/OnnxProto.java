package dev.sedge.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * ONNX models written field by field in protobuf's wire format, for models no exporter writes: tensors whose
 * values are in external files, wherever the model keeps a tensor.
 */
public final class OnnxProto {

    private OnnxProto() {
    }

    /** A varint field. */
    public static byte[] varint(int field, long value) {
        return concat(raw(field << 3), raw(value));
    }

    /** A length-delimited field. */
    public static byte[] field(int field, byte[] payload) {
        return concat(raw((field << 3) | 2), raw(payload.length), payload);
    }

    /** A string field. */
    public static byte[] text(int field, String value) {
        return field(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code TensorProto{dims 4, data_type FLOAT, name, external_data{location}, external_data{length 16},
     * data_location EXTERNAL}}; no location entry if {@code location} is null.
     */
    public static byte[] externalTensor(String name, String location) {
        byte[] entry = location == null ? new byte[0]
                : field(13, concat(text(1, "location"), text(2, location)));
        return concat(varint(1, 4), varint(2, 1), text(8, name), entry,
                field(13, concat(text(1, "length"), text(2, "16"))), varint(14, 1));
    }

    /** {@code ModelProto{ir_version 7, graph}}. */
    public static byte[] model(byte[] graph) {
        return concat(varint(1, 7), field(7, graph));
    }

    /** {@code GraphProto{initializer}}, a graph of one initializer. */
    public static byte[] graphWithInitializer(byte[] tensor) {
        return concat(text(2, "main"), field(5, tensor));
    }

    /** {@code NodeProto{output, name, op_type, attribute{name, ...}}}. */
    public static byte[] node(String name, String opType, String attribute, int attributeField, byte[] value) {
        return concat(text(2, name + "-out"), text(3, name), text(4, opType),
                field(5, concat(text(1, attribute), field(attributeField, value))));
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] raw(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }
}
