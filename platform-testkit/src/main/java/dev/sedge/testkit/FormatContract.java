package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.CheckpointWriter;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The checks every {@link CheckpointFormat} passes. Failures are {@link AssertionError}s. */
public final class FormatContract {

    private FormatContract() {
    }

    /**
     * Checks the plugin contract, then:
     * <ul>
     *   <li>recognition: {@code ownFile} is recognised; every foreign file, a missing path, a
     *       folder and an empty file are not, and nothing throws;
     *   <li>refusal: opening a missing path or an empty file throws {@link DataFormatException}
     *       whose message names the file;
     *   <li>reading {@code ownFile}: {@code file()} is the path; names are unique; for each
     *       floating tensor, {@code read} (at an offset, leaving the rest of the array alone) and
     *       {@code tensor} agree bit for bit with the listed shape; a non-floating tensor and a
     *       missing name are refused with a {@link DataFormatException} naming them; {@code close}
     *       is idempotent and reading afterwards throws {@link IllegalStateException};
     *   <li>writing, if the format has a writer: the floating tensors and metadata of
     *       {@code ownFile}, written to a new folder, read back equal, and nothing else is left there.
     * </ul>
     *
     * @param ownFile      a file in this format holding at least one floating tensor; not modified
     * @param foreignFiles files of other formats; not modified
     * @return the names of {@code ownFile}'s tensors, in file order
     */
    public static List<String> check(CheckpointFormat format, Path ownFile, List<Path> foreignFiles) {
        PluginContract.check(format);
        String name = format.name();
        require(format.recognises(ownFile), name + ": does not recognise its own file " + ownFile);
        for (Path foreign : foreignFiles) {
            require(!format.recognises(foreign), name + ": claims a file of another format: " + foreign);
        }
        Path scratch = temporaryFolder(name);
        try {
            Path missing = scratch.resolve("missing-" + name + ".bin");
            Path empty = Files.createFile(scratch.resolve("empty-" + name + ".bin"));
            require(!format.recognises(missing), name + ": recognises a missing file");
            require(!format.recognises(scratch), name + ": recognises a folder");
            require(!format.recognises(empty), name + ": recognises an empty file");
            expectRefusal(format, missing);
            expectRefusal(format, empty);
            List<String> names = checkReading(format, ownFile);
            format.writer().ifPresent(writer -> checkWriting(format, writer, ownFile, scratch.resolve("written")));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(scratch);
        }
    }

    private static List<String> checkReading(CheckpointFormat format, Path file) {
        String name = format.name();
        List<String> names = new ArrayList<>();
        Checkpoint checkpoint = format.open(file);
        try (checkpoint) {
            require(checkpoint.file().equals(file), name + ": file() is " + checkpoint.file() + ", opened " + file);
            Set<String> seen = new HashSet<>();
            boolean anyFloating = false;
            for (TensorInfo info : checkpoint.tensors()) {
                require(seen.add(info.name()), name + ": tensor name '" + info.name() + "' is listed twice");
                names.add(info.name());
                if (info.dtype().isFloating()) {
                    anyFloating = true;
                    checkFloating(name, checkpoint, info);
                } else {
                    expectDataFormat(() -> checkpoint.read(info.name(), new float[(int) info.elementCount()], 0),
                            info.name(), name + ": non-floating tensor '" + info.name() + "' was read as floats");
                }
            }
            require(anyFloating, name + ": " + file + " holds no floating tensor to check");
            expectDataFormat(() -> checkpoint.tensor("no-such-tensor-for-contract"), "no-such-tensor-for-contract",
                    name + ": a missing tensor name was not refused");
            require(checkpoint.metadata() != null, name + ": metadata() returned null");
        }
        checkpoint.close();
        try {
            checkpoint.tensor(names.getFirst());
            throw new AssertionError(name + ": a closed checkpoint could still be read");
        } catch (IllegalStateException expected) {
            // refused, as it must be
        }
        return names;
    }

    private static void checkFloating(String name, Checkpoint checkpoint, TensorInfo info) {
        Tensor tensor = checkpoint.tensor(info.name());
        require(tensor.info().equals(info), name + ": tensor() says " + tensor.info() + ", tensors() says " + info);
        int count = (int) info.elementCount();
        float[] padded = new float[count + 4];
        Arrays.fill(padded, -7.25f);
        checkpoint.read(info.name(), padded, 2);
        float[] expected = tensor.floats();
        for (int i = 0; i < count; i++) {
            require(Float.floatToRawIntBits(padded[i + 2]) == Float.floatToRawIntBits(expected[i])
                    || (Float.isNaN(padded[i + 2]) && Float.isNaN(expected[i])),
                    name + ": tensor '" + info.name() + "' element " + i + ": read() gives " + padded[i + 2]
                            + ", tensor() gives " + expected[i]);
        }
        require(padded[0] == -7.25f && padded[1] == -7.25f && padded[count + 2] == -7.25f && padded[count + 3] == -7.25f,
                name + ": read() of '" + info.name() + "' wrote outside its range");
    }

    private static void checkWriting(CheckpointFormat format, CheckpointWriter writer, Path source, Path folder) {
        String name = format.name();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path target = folder.resolve("round-trip");
        List<Tensor> tensors = new ArrayList<>();
        Map<String, String> metadata;
        try (Checkpoint in = format.open(source)) {
            for (TensorInfo info : in.tensors()) {
                if (info.dtype().isFloating()) {
                    tensors.add(in.tensor(info.name()));
                }
            }
            metadata = in.metadata();
        }
        writer.write(target, tensors, metadata);
        try (Stream<Path> left = Files.list(folder)) {
            List<Path> files = left.toList();
            require(files.equals(List.of(target)), name + ": writing left " + files + " in the folder, expected only " + target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        require(format.recognises(target), name + ": does not recognise the file its writer wrote");
        try (Checkpoint back = format.open(target)) {
            require(back.metadata().equals(metadata), name + ": metadata " + metadata + " read back as " + back.metadata());
            require(back.tensors().equals(tensors.stream().map(Tensor::info).toList()),
                    name + ": tensors " + tensors.stream().map(Tensor::info).toList() + " read back as " + back.tensors());
            for (Tensor t : tensors) {
                require(back.tensor(t.info().name()).equals(t), name + ": tensor '" + t.info().name() + "' changed in a round trip");
            }
        }
    }

    private static void expectRefusal(CheckpointFormat format, Path file) {
        try {
            format.open(file).close();
            throw new AssertionError(format.name() + ": opened " + file + " without complaint");
        } catch (DataFormatException e) {
            require(e.getMessage().contains(file.toString()), format.name() + ": the refusal of " + file
                    + " does not name the file: " + e.getMessage());
        }
    }

    private static void expectDataFormat(Runnable action, String mentioned, String failure) {
        try {
            action.run();
        } catch (DataFormatException e) {
            require(e.getMessage().contains(mentioned), failure + " (the message does not name '" + mentioned + "': "
                    + e.getMessage() + ")");
            return;
        }
        throw new AssertionError(failure);
    }

    private static Path temporaryFolder(String name) {
        try {
            return Files.createTempDirectory("sedge-format-contract-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
