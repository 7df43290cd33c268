package dev.sedge.core.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The validated header of a safetensors file: an unsigned 64-bit little-endian header length
 * {@code N}, then {@code N} bytes of JSON {@code {name: {dtype, shape, data_offsets}, "__metadata__":
 * {string: string}}}, then the data section. Validation is strict: the length must fit in the
 * file, the JSON must parse (duplicate keys refused), every dtype must be known, every range must
 * match dtype × shape, and the ranges must tile the data section exactly (no gap, no overlap, no
 * trailing byte). Keys of a tensor entry other than the three above are ignored, as the reference
 * implementation does.
 *
 * @param tensors   in storage order (ascending data offset); names unique; unmodifiable
 * @param metadata  the {@code __metadata__} object; empty if absent; unmodifiable
 * @param dataStart file offset of the data section: 8 + header length
 */
record SafetensorsHeader(List<Entry> tensors, Map<String, String> metadata, long dataStart) {

    /** The largest header read, as in the reference implementation: 100 MB. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ValueLayout.OfLong LENGTH = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * One tensor of the file.
     *
     * @param begin byte offset of its first element, relative to the data section
     * @param end   byte offset just past its last element; {@code end - begin == info.byteCount()}
     */
    record Entry(TensorInfo info, long begin, long end) {
    }

    SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The JSON mapper used to read and write headers (thread-safe). */
    static JsonMapper json() {
        return JSON;
    }

    /**
     * Parses and validates the header of {@code contents}, the whole file.
     *
     * @param file     for messages only
     * @param contents the file's bytes; not modified
     * @throws DataFormatException naming {@code file}, saying what is wrong and where
     */
    static SafetensorsHeader parse(Path file, MemorySegment contents) {
        long size = contents.byteSize();
        if (size < 8) {
            throw error(file, "the file is " + size + " bytes, shorter than the 8-byte header length a safetensors"
                    + " file starts with; it is truncated or not safetensors");
        }
        long length = contents.get(LENGTH, 0);
        if (Long.compareUnsigned(length, size - 8) > 0) {
            throw error(file, "the header length field says " + Long.toUnsignedString(length) + " bytes, but only "
                    + (size - 8) + " bytes follow it; the file is truncated or not safetensors");
        }
        if (length > MAX_HEADER_BYTES) {
            throw error(file, "the header is " + length + " bytes, over the " + MAX_HEADER_BYTES
                    + "-byte limit of safetensors; the file is corrupt or not safetensors");
        }
        if (length < 2) {
            throw error(file, "the header is " + length + " bytes, too short for a JSON object");
        }
        byte[] text = contents.asSlice(8, length).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new DataFormatException(file + ": the safetensors header is not valid JSON: "
                    + e.getOriginalMessage() + "; the file is corrupt", e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot parse the safetensors header: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw error(file, "the safetensors header must be a JSON object, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long dataStart = 8 + length;
        checkTiling(file, entries, size - dataStart);
        return new SafetensorsHeader(entries, metadata, dataStart);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw error(file, METADATA_KEY + " must be an object of strings, found " + node.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw error(file, METADATA_KEY + " value '" + e.getKey() + "' must be a string, found "
                        + e.getValue().getNodeType());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error(file, where + " must be an object {dtype, shape, data_offsets}, found " + node.getNodeType());
        }
        DType dtype = dtype(file, where, node.get("dtype"));
        List<Long> shape = longs(file, where + " shape", node.get("shape"), -1);
        List<Long> offsets = longs(file, where + " data_offsets", node.get("data_offsets"), 2);
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw error(file, where + " has data_offsets " + offsets + " that end before they begin");
        }
        TensorInfo info;
        long bytes;
        try {
            info = new TensorInfo(name, dtype, shape);
            bytes = info.byteCount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataFormatException(file + ": " + where + " is not a valid tensor: " + e.getMessage(), e);
        }
        if (bytes != end - begin) {
            throw error(file, where + " is " + dtype + " " + shape + ", which takes " + bytes + " bytes, but its"
                    + " data_offsets " + offsets + " span " + (end - begin) + " bytes; the header is corrupt");
        }
        return new Entry(info, begin, end);
    }

    private static DType dtype(Path file, String where, JsonNode node) {
        String known = Arrays.stream(DType.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (node == null || !node.isTextual()) {
            throw error(file, where + " needs a string dtype (" + known + "), found " + describe(node));
        }
        try {
            return DType.valueOf(node.textValue());
        } catch (IllegalArgumentException e) {
            throw error(file, where + " has dtype " + node.textValue() + ", which sedge does not read; supported: "
                    + known);
        }
    }

    /** A JSON array of non-negative integers; {@code size < 0} for any length. */
    private static List<Long> longs(Path file, String where, JsonNode node, int size) {
        if (node == null || !node.isArray() || (size >= 0 && node.size() != size)) {
            throw error(file, where + " must be an array of " + (size >= 0 ? size + " " : "")
                    + "non-negative integers, found " + describe(node));
        }
        List<Long> out = new ArrayList<>(node.size());
        for (JsonNode v : node) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw error(file, where + " must hold non-negative 64-bit integers, found " + v);
            }
            out.add(v.longValue());
        }
        return out;
    }

    /** The sorted ranges must start at 0, follow each other without gap or overlap, and end at the file's end. */
    private static void checkTiling(Path file, List<Entry> sorted, long dataBytes) {
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() != expected) {
                throw error(file, "tensor '" + e.info().name() + "' starts at byte " + e.begin()
                        + " of the data section, expected " + expected
                        + (previous == null ? " (the start)" : " (where '" + previous + "' ends)")
                        + ": the tensors " + (e.begin() < expected ? "overlap" : "leave a gap")
                        + "; the header is corrupt");
            }
            expected = e.end();
            previous = e.info().name();
        }
        if (expected != dataBytes) {
            throw error(file, "the tensors end at byte " + expected + " of the data section, but the file holds "
                    + dataBytes + " data bytes; " + (expected > dataBytes
                            ? "the file is truncated (" + (expected - dataBytes) + " bytes missing)"
                            : "the file has " + (dataBytes - expected) + " trailing bytes no tensor owns"));
        }
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.toString();
    }

    private static DataFormatException error(Path file, String message) {
        return new DataFormatException(file + ": " + message);
    }
}
