package dev.sedge.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.formats.testing.PickleBytes;
import dev.sedge.formats.testing.ZipBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoints whose pickle would run code if Python loaded it (docs/import.md, "Hostile files"). Each payload is
 * {@code callable('touch <marker>')}, written as {@code pickle.dumps} writes an object whose {@code __reduce__}
 * returns it (Python's own {@code pickle.loads} of these bytes does create the marker). sedge must refuse the
 * global where the pickle names it, before the opcode that would call it, with the file, the global and the
 * opcode in the message; the marker must not exist and the folder must hold nothing new.
 */
class HostilePickleTests {

    private final PytorchFormat format = new PytorchFormat();

    @TempDir
    Path folder;

    /** Every way a pickle names a callable, with callables that run a command, evaluate code or import modules. */
    @ParameterizedTest(name = "{0} {1}.{2}")
    @CsvSource({
        "GLOBAL, os, system", "GLOBAL, posix, system", "GLOBAL, nt, system", "GLOBAL, builtins, eval",
        "GLOBAL, builtins, exec", "GLOBAL, __builtin__, eval", "GLOBAL, subprocess, Popen",
        "GLOBAL, subprocess, check_output", "GLOBAL, builtins, getattr", "GLOBAL, builtins, __import__",
        "GLOBAL, runpy, _run_code", "GLOBAL, torch, load", "GLOBAL, torch.storage, _load_from_bytes",
        "GLOBAL, torch._utils, _rebuild_from_type_v2", "GLOBAL, numpy.core.multiarray, _reconstruct",
        "STACK_GLOBAL, os, system", "STACK_GLOBAL, builtins, eval", "STACK_GLOBAL, subprocess, Popen",
        "INST, os, system", "INST, builtins, eval", "INST, subprocess, Popen",
        "OBJ, os, system", "OBJ, builtins, eval", "OBJ, subprocess, Popen"})
    void refusesAGlobalOffTheAllowlistWhereItIsNamedBeforeAnyCall(String style, String module, String name)
            throws IOException {
        Path marker = folder.resolve("pwned");
        PickleBytes.Payload payload = PickleBytes.reduce(style, module, name, "touch " + marker);
        Path file = ZipBytes.write(folder.resolve("step-6.pt"), PickleBytes.torchArchive("step-6", payload.bytes()));
        assertTrue(format.recognises(file), "a torch.save archive by its entries");

        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));

        String naming = style.equals("OBJ") ? "GLOBAL" : style;
        assertTrue(e.getMessage().startsWith(file + " entry 'step-6/data.pkl' asks for the Python global '" + module
                + "." + name + "' (" + naming + " at byte " + payload.named() + "), which sedge refuses")
                && e.getMessage().contains("never runs code"), e.getMessage());
        assertTrue(payload.named() <= payload.call(), "named at " + payload.named() + ", called at " + payload.call());
        assertFalse(Files.exists(marker), "the payload ran");
        assertEquals(List.of(file), list(folder), "nothing is written beside the checkpoint");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "collections|OrderedDict|collections.OrderedDict is called with tuple('touch",
        "torch|FloatStorage|the pickle calls torch.FloatStorage, which may only appear inside a storage reference"})
    void refusesAnAllowedNameCalledOtherwiseThanTorchSaveCallsIt(String module, String name, String expected)
            throws IOException {
        // OrderedDict('touch …') is not the list of pairs torch writes; torch.FloatStorage is allowed as a storage type
        // inside a persistent id, never as a callable
        PickleBytes.Payload payload = PickleBytes.reduce("GLOBAL", module, name, "touch " + folder.resolve("pwned"));
        Path file = ZipBytes.write(folder.resolve("step-6.pt"), PickleBytes.torchArchive("step-6", payload.bytes()));
        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
        assertEquals(List.of(file), list(folder));
    }

    @ParameterizedTest
    @CsvSource({"GLOBAL", "STACK_GLOBAL"})
    void refusesAHostilePickleInTheLegacyFormatToo(String style) throws IOException {
        Path marker = folder.resolve("pwned");
        PickleBytes.Payload payload = PickleBytes.reduce(style, "os", "system", "touch " + marker);
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        legacy.writeBytes(new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
            0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'}); // LONG1 0x1950a86a20f9469cfc6c, torch's legacy magic number
        legacy.writeBytes(PickleBytes.protocol(2).integer(1001).stop()); // the legacy protocol version
        legacy.writeBytes(PickleBytes.protocol(2).op('}').stop()); // sys_info
        int objectAt = legacy.size();
        legacy.writeBytes(payload.bytes());
        Path file = Files.write(folder.resolve("step-6.pt"), legacy.toByteArray());
        assertTrue(format.recognises(file), "the legacy magic number");

        DataFormatException e = assertThrows(DataFormatException.class, () -> format.open(file));

        assertTrue(e.getMessage().startsWith(file + " (legacy torch.save format) asks for the Python global 'os.system'"
                + " (" + style + " at byte " + (objectAt + payload.named()) + ")"), e.getMessage());
        assertFalse(Files.exists(marker));
        assertEquals(List.of(file), list(folder));
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
