package dev.sedge.core.model;

import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Refuses an ONNX model that keeps tensor values in external files, before any engine opens it
 * (docs/import.md, "Hostile files"). sedge reads self-contained models only: {@code sedge import}
 * copies the model alone into the run, and ONNX Runtime, given a model's bytes, resolves an
 * external file against the working directory, not the model's folder (measured with ONNX Runtime
 * 1.29: a location {@code weights.bin} is read from the directory sedge runs in). A location that
 * leaves the model's folder ({@code ../x}, {@code /etc/x}) is named as such.
 *
 * <p>Every tensor of the model is checked, wherever it is: the graph's initializers and sparse
 * initializers, tensor attributes of nodes ({@code Constant}), the subgraphs of nodes
 * ({@code If}, {@code Loop}, {@code Scan}), functions and training graphs. The walk is a protobuf
 * wire-format reader of its own (core sees no plugin's), bounded by the file: every length is
 * checked, subgraphs nest at most {@value #MAX_DEPTH} deep. Nothing is read but the file; stateless.
 */
public final class ExternalData {

    /** The deepest nesting of subgraphs walked. */
    static final int MAX_DEPTH = 64;

    /** TensorProto.DataLocation.EXTERNAL. */
    private static final long EXTERNAL = 1;

    private ExternalData() {
    }

    /**
     * Checks the model in {@code model}.
     *
     * @throws DataFormatException naming the file and the tensor if a tensor keeps its values in an external file,
     *                             or if the file is not a protobuf message (nothing could then be checked)
     */
    public static void refuse(Path model) {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            refuse(model, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
        } catch (IOException e) {
            throw new DataFormatException("cannot read the model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the model whose bytes are {@code contents}.
     *
     * @param model    for messages
     * @param contents the whole model file; not modified
     * @throws DataFormatException as {@link #refuse(Path)}
     */
    public static void refuse(Path model, MemorySegment contents) {
        new Walk(model).message(contents, Kind.MODEL, "the model", 0);
    }

    /** The message types that can hold a tensor, with the fields that lead to one. */
    private enum Kind { MODEL, GRAPH, NODE, ATTRIBUTE, FUNCTION, TRAINING, SPARSE, TENSOR }

    private record Walk(Path model) {

        void message(MemorySegment bytes, Kind kind, String where, int depth) {
            if (depth > MAX_DEPTH) {
                throw new DataFormatException(model + ": its graphs nest deeper than " + MAX_DEPTH + " levels; sedge"
                        + " refuses the model before ONNX Runtime opens it. The file is corrupt or crafted");
            }
            Reader r = new Reader(bytes, model);
            String name = "";
            String location = null;
            boolean external = false;
            while (r.hasNext()) {
                r.next();
                int field = r.field();
                if (kind == Kind.TENSOR) {
                    if (field == 8 && r.isLength()) {
                        name = r.string();
                    } else if (field == 13 && r.isLength()) {
                        external = true;
                        String entry = location(r.bytes());
                        location = entry != null ? entry : location;
                    } else if (field == 14 && r.isVarint()) {
                        external |= r.varint() == EXTERNAL;
                    } else {
                        r.skip();
                    }
                    continue;
                }
                Kind child = child(kind, field);
                if (child != null && r.isLength()) {
                    message(r.bytes(), child, describe(kind, field, where, name), depth + (child == Kind.GRAPH ? 1 : 0));
                } else if (field == nameField(kind) && r.isLength()) {
                    name = r.string();
                } else {
                    r.skip();
                }
            }
            if (external) {
                throw refused(where.equals("initializer") ? "initializer '" + name + "'"
                        : name.isEmpty() ? where : where + " (tensor '" + name + "')", location);
            }
        }

        /** The field that names a message of {@code kind} (written before its children by every exporter). */
        private static int nameField(Kind kind) {
            return switch (kind) {
                case NODE -> 3;
                case ATTRIBUTE -> 1;
                default -> -1;
            };
        }

        /** The kind of message field {@code field} of a {@code kind} holds, if it can lead to a tensor. */
        private static Kind child(Kind kind, int field) {
            return switch (kind) {
                case MODEL -> field == 7 ? Kind.GRAPH : field == 25 ? Kind.FUNCTION : field == 20 ? Kind.TRAINING : null;
                case GRAPH -> field == 1 ? Kind.NODE : field == 5 ? Kind.TENSOR : field == 15 ? Kind.SPARSE : null;
                case NODE -> field == 5 ? Kind.ATTRIBUTE : null;
                case ATTRIBUTE -> switch (field) {
                    case 5, 10 -> Kind.TENSOR;
                    case 6, 11 -> Kind.GRAPH;
                    case 22, 23 -> Kind.SPARSE;
                    default -> null;
                };
                case FUNCTION -> field == 7 ? Kind.NODE : null;
                case TRAINING -> field == 1 || field == 2 ? Kind.GRAPH : null;
                case SPARSE -> field == 1 || field == 2 ? Kind.TENSOR : null;
                case TENSOR -> null;
            };
        }

        /** What a child in {@code field} of a {@code kind} named {@code name}, itself {@code where}, is, for messages. */
        private static String describe(Kind kind, int field, String where, String name) {
            return switch (kind) {
                case MODEL -> field == 7 ? "the graph" : field == 25 ? "a function" : "a training graph";
                case GRAPH -> field == 5 ? "initializer" : field == 15 ? "a sparse initializer" : "a node";
                case FUNCTION -> "a node";
                case TRAINING -> "a training graph";
                case NODE -> "node '" + name + "'";
                case ATTRIBUTE -> (field == 6 || field == 11 ? "a subgraph in " : "") + "attribute '" + name + "' of "
                        + where;
                default -> where;
            };
        }

        /** The value of an {@code external_data} entry ({@code StringStringEntryProto}) if its key is location. */
        private String location(MemorySegment entry) {
            Reader r = new Reader(entry, model);
            String key = "";
            String value = "";
            while (r.hasNext()) {
                r.next();
                if (r.field() == 1 && r.isLength()) {
                    key = r.string();
                } else if (r.field() == 2 && r.isLength()) {
                    value = r.string();
                } else {
                    r.skip();
                }
            }
            return key.equals("location") ? value : null;
        }

        private DataFormatException refused(String where, String location) {
            String shown = location == null ? null : location.length() > 200 ? location.substring(0, 200) + "…" : location;
            String what = shown == null ? "in an external file it does not name"
                    : leavesFolder(location) ? "in an external file at '" + shown + "', outside the model's folder"
                            + " (" + model.toAbsolutePath().getParent() + ")"
                    : "in an external file '" + shown + "'";
            return new DataFormatException(model + ": " + where + " keeps its values " + what + ". sedge reads"
                    + " self-contained models only and opens no file a model names: the model is refused before ONNX"
                    + " Runtime opens it. Save it with its weights inside: in Python, onnx.save_model(onnx.load(path),"
                    + " new_path, save_as_external_data=False)");
        }

        /** Absolute ({@code /x}, {@code \x}, {@code C:x}) or holding a {@code ..} segment. */
        static boolean leavesFolder(String location) {
            return location.startsWith("/") || location.startsWith("\\") || location.matches("(?s)[A-Za-z]:.*")
                    || List.of(location.split("[/\\\\]")).contains("..");
        }
    }

    /** A protobuf wire-format cursor over one message; every length checked against it. */
    private static final class Reader {
        private final MemorySegment bytes;
        private final Path model;
        private long pos;
        private int field;
        private int wireType;

        Reader(MemorySegment bytes, Path model) {
            this.bytes = bytes;
            this.model = model;
        }

        boolean hasNext() {
            return pos < bytes.byteSize();
        }

        void next() {
            long tag = varint();
            field = (int) Math.min(tag >>> 3, Integer.MAX_VALUE);
            wireType = (int) (tag & 7);
            if (field == 0 || (wireType != 0 && wireType != 1 && wireType != 2 && wireType != 5)) {
                throw corrupt("bad tag " + tag);
            }
        }

        int field() {
            return field;
        }

        boolean isLength() {
            return wireType == 2;
        }

        boolean isVarint() {
            return wireType == 0;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (pos >= bytes.byteSize()) {
                    throw corrupt("a varint runs past the end");
                }
                byte b = bytes.get(ValueLayout.JAVA_BYTE, pos++);
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw corrupt("a varint is longer than 10 bytes");
        }

        MemorySegment bytes() {
            long length = varint();
            require(length);
            MemorySegment slice = bytes.asSlice(pos, length);
            pos += length;
            return slice;
        }

        String string() {
            return new String(bytes().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> skipFixed(8);
                case 2 -> bytes();
                default -> skipFixed(4);
            }
        }

        private void skipFixed(long n) {
            require(n);
            pos += n;
        }

        private void require(long n) {
            if (n < 0 || n > bytes.byteSize() - pos) {
                throw corrupt("a field needs " + Long.toUnsignedString(n) + " bytes, only " + (bytes.byteSize() - pos)
                        + " remain");
            }
        }

        private DataFormatException corrupt(String what) {
            return new DataFormatException(model + ": the model is not a valid ONNX file (invalid protobuf: " + what
                    + "); sedge checks a model before ONNX Runtime opens it. It is truncated or corrupt: export it"
                    + " again");
        }
    }
}
