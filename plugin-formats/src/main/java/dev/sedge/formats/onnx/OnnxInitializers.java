package dev.sedge.formats.onnx;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.formats.store.ByteSource;
import dev.sedge.formats.store.StoredCheckpoint;
import dev.sedge.formats.store.StoredTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the initializers of an ONNX {@code ModelProto}: {@code graph} (7) → {@code initializer}
 * (5) → {@code TensorProto} {@code dims} (1), {@code data_type} (2), {@code float_data} (4),
 * {@code int32_data} (5), {@code name} (8), {@code raw_data} (9), {@code double_data} (10),
 * {@code external_data} (13), {@code data_location} (14); and {@code metadata_props} (14) of the
 * model as metadata. Values in {@code raw_data} or in one packed {@code float_data} or
 * {@code double_data} field stay in the mapping; other encodings are gathered into a heap copy.
 * Initializers of subgraphs (inside If/Loop nodes) are not read.
 */
final class OnnxInitializers {

    private static final int MAX_IR_VERSION = 100;

    private OnnxInitializers() {
    }

    /**
     * Whether {@code model} starts like a {@code ModelProto}: field 1 ({@code ir_version}) first,
     * then well-formed fields up to {@code graph} (7). Never throws.
     */
    static boolean looksLikeModel(MemorySegment model) {
        try {
            ProtoReader r = new ProtoReader(model, "");
            r.next();
            if (r.field() != 1 || r.wireType() != ProtoReader.VARINT) {
                return false;
            }
            long irVersion = r.varint();
            if (irVersion < 1 || irVersion > MAX_IR_VERSION) {
                return false;
            }
            for (int fields = 0; fields < 64 && r.hasNext(); fields++) {
                r.next();
                if (r.field() == 7) {
                    return r.wireType() == ProtoReader.LENGTH && r.bytes().byteSize() > 0;
                }
                if (r.field() > 64) {
                    return false;
                }
                r.skip();
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The initializers and metadata of the model in {@code contents}.
     *
     * @param arena owns the mapping; handed to the checkpoint
     * @throws DataFormatException naming {@code file} (and the initializer) for anything refused or corrupt
     */
    static StoredCheckpoint read(Path file, MemorySegment contents, Arena arena) {
        ProtoReader model = new ProtoReader(contents, file + " (ModelProto)");
        MemorySegment graph = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        while (model.hasNext()) {
            model.next();
            switch (model.field()) {
                case 7 -> graph = model.bytesField();
                case 14 -> property(file, model.bytesField(), metadata);
                default -> model.skip();
            }
        }
        if (graph == null) {
            throw new DataFormatException(file + ": the ONNX model has no graph; it is not a model file or it is corrupt");
        }
        ProtoReader reader = new ProtoReader(graph, file + " (GraphProto)");
        List<StoredTensor> tensors = new ArrayList<>();
        while (reader.hasNext()) {
            reader.next();
            switch (reader.field()) {
                case 5 -> tensors.add(initializer(file, reader.bytesField(), tensors.size()));
                case 15 -> throw new DataFormatException(file + ": the graph has a sparse initializer, which sedge"
                        + " does not read; store the weights as dense initializers");
                default -> reader.skip();
            }
        }
        return new StoredCheckpoint(file, arena, contents, tensors, metadata);
    }

    private static void property(Path file, MemorySegment entry, Map<String, String> metadata) {
        StringEntry property = StringEntry.read(entry, file + " (metadata_props)");
        metadata.put(property.key(), property.value());
    }

    /** A {@code StringStringEntryProto}: key 1, value 2. */
    private record StringEntry(String key, String value) {
        static StringEntry read(MemorySegment entry, String where) {
            ProtoReader r = new ProtoReader(entry, where);
            String key = "";
            String value = "";
            while (r.hasNext()) {
                r.next();
                switch (r.field()) {
                    case 1 -> key = r.stringField();
                    case 2 -> value = r.stringField();
                    default -> r.skip();
                }
            }
            return new StringEntry(key, value);
        }
    }

    private static StoredTensor initializer(Path file, MemorySegment bytes, int index) {
        TensorFields f = new TensorFields();
        ProtoReader r = new ProtoReader(bytes, file + " (initializer #" + index + ")");
        while (r.hasNext()) {
            r.next();
            switch (r.field()) {
                case 1 -> f.dims.addAll(varints(r));
                case 2 -> f.dataType = r.varintField();
                case 3 -> {
                    f.segmented = true;
                    r.skip();
                }
                case 4 -> f.floats.add(r.wireType() == ProtoReader.LENGTH ? r.bytes() : le(r.fixed32(), 4));
                case 5 -> f.int32s.addAll(varints(r));
                case 8 -> f.name = r.stringField();
                case 9 -> f.raw = r.bytesField();
                case 10 -> f.doubles.add(r.wireType() == ProtoReader.LENGTH ? r.bytes() : le(r.fixed64(), 8));
                case 13 -> {
                    f.external = true;
                    externalEntry(file, r.bytesField(), f);
                }
                case 14 -> f.location = r.varintField();
                default -> r.skip();
            }
        }
        String where = "initializer " + (f.name == null || f.name.isBlank() ? "#" + index : "'" + f.name + "'");
        if (f.name == null || f.name.isBlank()) {
            throw new DataFormatException(file + ": " + where + " has no name; sedge matches weights by name");
        }
        if (f.external || f.location == 1) {
            String at = f.externalLocation == null ? " (a file beside the model)" : " at '" + f.externalLocation + "' ("
                    + (leavesFolder(f.externalLocation) ? "outside the model's folder" : "a file beside the model") + ")";
            throw new DataFormatException(file + ": " + where + " keeps its values in external data" + at + ", which"
                    + " sedge does not read: it opens no file a model names. In Python:"
                    + " onnx.save_model(onnx.load(path), new_path, save_as_external_data=False)");
        }
        if (f.segmented) {
            throw new DataFormatException(file + ": " + where + " is a segmented tensor, which sedge does not read");
        }
        DType dtype = OnnxTypes.dtype(f.dataType).orElseThrow(() -> new DataFormatException(file + ": " + where
                + " has ONNX data type " + f.dataType + " (" + OnnxTypes.name(f.dataType) + "), which sedge does not"
                + " read; supported: FLOAT, DOUBLE, FLOAT16, BFLOAT16, the FLOAT8 types (and listed: the integers, BOOL,"
                + " COMPLEX64, FLOAT4E2M1)"));
        TensorInfo info;
        long byteCount;
        try {
            info = new TensorInfo(f.name, dtype, f.dims);
            byteCount = info.byteCount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataFormatException(file + ": " + where + " is not a valid tensor: " + e.getMessage(), e);
        }
        ByteSource source = source(file, where, f, info);
        if (dtype.isFloating() && source.size() != byteCount) {
            throw new DataFormatException(file + ": " + where + " is " + dtype + " " + info.shape() + ", which takes "
                    + byteCount + " bytes, but its data holds " + source.size() + " bytes; the model is corrupt");
        }
        return StoredTensor.contiguous(info, source, ByteOrder.LITTLE_ENDIAN, 0).checkedIn(file);
    }

    private static ByteSource source(Path file, String where, TensorFields f, TensorInfo info) {
        if (f.raw != null) {
            return new ByteSource.Mapped(f.raw);
        }
        return switch (info.dtype()) {
            case F32 -> new ByteSource.Mapped(joined(f.floats));
            case F64 -> new ByteSource.Mapped(joined(f.doubles));
            case F16, BF16 -> {
                // int32_data holds each 16-bit pattern in the low bits of one value
                MemorySegment out = MemorySegment.ofArray(new byte[2 * f.int32s.size()]);
                for (int i = 0; i < f.int32s.size(); i++) {
                    out.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i,
                            (short) (long) f.int32s.get(i));
                }
                yield new ByteSource.Mapped(out);
            }
            case F8_E4M3, F8_E4M3FNUZ, F8_E5M2, F8_E5M2FNUZ, F8_E8M0 -> {
                // int32_data holds each 8-bit pattern in the low bits of one value
                byte[] out = new byte[f.int32s.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) (long) f.int32s.get(i);
                }
                yield new ByteSource.Mapped(MemorySegment.ofArray(out));
            }
            default -> new ByteSource.Mapped(MemorySegment.ofArray(new byte[0])); // listed, never read
        };
    }

    /** Whether an external-data location is absolute ({@code /x}, {@code \x}, {@code C:x}) or holds a {@code ..} segment. */
    private static boolean leavesFolder(String location) {
        return location.startsWith("/") || location.startsWith("\\") || location.matches("(?s)[A-Za-z]:.*")
                || List.of(location.split("[/\\\\]")).contains("..");
    }

    /** One {@code external_data} entry ({@code StringStringEntryProto}: key 1, value 2): its location, if it is that. */
    private static void externalEntry(Path file, MemorySegment entry, TensorFields f) {
        StringEntry external = StringEntry.read(entry, file + " (external_data)");
        String key = external.key();
        String value = external.value();
        if (key.equals("location")) {
            f.externalLocation = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        }
    }

    /** A packed (LENGTH) or single (VARINT) field of varints. */
    private static List<Long> varints(ProtoReader r) {
        if (r.wireType() == ProtoReader.VARINT) {
            return List.of(r.varint());
        }
        int field = r.field();
        ProtoReader packed = new ProtoReader(r.bytesField(), r.where() + " packed field " + field);
        List<Long> out = new ArrayList<>();
        while (packed.hasNext()) {
            out.add(packed.varint());
        }
        return out;
    }

    private static MemorySegment le(long bits, int bytes) {
        MemorySegment out = MemorySegment.ofArray(new byte[bytes]);
        for (int i = 0; i < bytes; i++) {
            out.set(ValueLayout.JAVA_BYTE, i, (byte) (bits >>> (8 * i)));
        }
        return out;
    }

    private static MemorySegment joined(List<MemorySegment> pieces) {
        if (pieces.size() == 1) {
            return pieces.getFirst();
        }
        long total = pieces.stream().mapToLong(MemorySegment::byteSize).sum();
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(total)]);
        long at = 0;
        for (MemorySegment piece : pieces) {
            MemorySegment.copy(piece, 0, out, at, piece.byteSize());
            at += piece.byteSize();
        }
        return out;
    }

    /** The fields of one TensorProto, as read. */
    private static final class TensorFields {
        final List<Long> dims = new ArrayList<>();
        final List<MemorySegment> floats = new ArrayList<>();
        final List<MemorySegment> doubles = new ArrayList<>();
        final List<Long> int32s = new ArrayList<>();
        long dataType;
        String name;
        MemorySegment raw;
        boolean external;
        String externalLocation;
        boolean segmented;
        long location;
    }
}
