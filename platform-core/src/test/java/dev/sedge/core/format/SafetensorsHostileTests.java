package dev.sedge.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Safetensors files whose header lies (docs/import.md, "Hostile files"): a header length of 2^62 bytes, a header
 * over the format's 100 MB cap, tensors claiming 2^62 bytes, tensors past the end of the file, tensors that overlap.
 * Each is refused from the header, before any tensor is read, naming the file and what is wrong, and nothing is
 * written. (The format's other refusals are in {@link SafetensorsFormatTests}.)
 */
class SafetensorsHostileTests {

    private final SafetensorsFormat format = new SafetensorsFormat();

    @TempDir
    Path folder;

    @Test
    void refusesAHeaderLengthOfTwoToTheSixtySecondBytes() throws IOException {
        Path file = write(1L << 62, "{\"a\":{}}".getBytes(StandardCharsets.UTF_8), 0);
        assertTrue(format.recognises(file), "claimed, so the refusal is precise");
        assertRefused(file, "the header length field says 4611686018427387904 bytes, but only 8 bytes follow it; the"
                + " file is truncated or not safetensors");
    }

    @Test
    void refusesAHeaderOverTheHundredMegabyteCapWithoutReadingIt() throws IOException {
        // a sparse file: 8 bytes of length, 100 MB + 1 of header (its first bytes '{"'), the rest holes
        long length = SafetensorsHeader.MAX_HEADER_BYTES + 1;
        Path file = folder.resolve("step-6.safetensors");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array());
            out.write("{\"".getBytes(StandardCharsets.UTF_8));
            out.setLength(8 + length);
        }
        assertRefused(file, "the header is 100000001 bytes, over the 100000000-byte limit of safetensors");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        // a tensor claiming 2^62 bytes (2^60 F32 elements) in a file of 4
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1152921504606846976],\"data_offsets\":[0,4611686018427387904]}}|4"
            + "|the tensors end at byte 4611686018427387904 of the data section, but the file holds 4 data bytes; the file"
            + " is truncated (4611686018427387900 bytes missing)",
        // a tensor that starts 2^62 bytes in
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4611686018427387904,4611686018427387908]}}|4"
            + "|tensor 'a' starts at byte 4611686018427387904 of the data section, expected 0 (the start): the tensors"
            + " leave a gap",
        // offsets past the end of the file
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}|8"
            + "|the tensors end at byte 16 of the data section, but the file holds 8 data bytes; the file is truncated"
            + " (8 bytes missing)",
        // an offset past 2^64
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551620]}}|4"
            + "|tensor 'a' data_offsets must hold non-negative 64-bit integers, found 18446744073709551620",
        // one tensor inside another: both would read the same bytes
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[4,8]}}|16|tensor 'b' starts at byte 4 of the data section, expected 16 (where 'a'"
            + " ends): the tensors overlap",
        // two tensors over the same bytes
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],"
            + "\"data_offsets\":[0,8]}}|8|starts at byte 0 of the data section, expected 8 (where 'a' ends): the tensors"
            + " overlap",
        // an element count past 2^63
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}|8"
            + "|tensor 'a' is not a valid tensor"})
    void refusesOffsetsThatLieFromTheHeaderAlone(String header, int dataBytes, String expected) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = write(json.length, json, dataBytes);
        assertRefused(file, expected);
    }

    private Path write(long length, byte[] header, int dataBytes) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(length).put(header);
        return Files.write(folder.resolve("step-6.safetensors"), bytes.array());
    }

    private void assertRefused(Path file, String expected) throws IOException {
        DataFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DataFormatException.class, () -> format.open(file)));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList(), "nothing is written");
        }
    }
}
