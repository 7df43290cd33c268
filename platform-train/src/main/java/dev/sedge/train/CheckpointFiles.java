package dev.sedge.train;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointWriter;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.VersionedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Where a trained run keeps its checkpoints, and reading and writing them (safetensors, atomically).
 *
 * <pre>
 * checkpoints/
 *   step-000000100.safetensors          every parameter, F32; metadata format, format_version, step
 *   state/step-000000100.safetensors    what resuming needs besides the parameters: the optimizer's
 *                                       state as tensors "optimizer/&lt;its name&gt;", and the spectrum
 *                                       group's weight-decay accumulators as "decay/&lt;parameter&gt;"
 *   monitor/step-000000100.safetensors  the live monitor's last W + stride group snapshots (latest two kept)
 *   decay/step-000000100.safetensors    the weight-decay part of the spectrum group's change since the
 *                                       previous checkpoint, one tensor per member, named like it
 *                                       (written when the live monitor runs: {@link RunLayout#decayPart})
 * </pre>
 *
 * The sub-folders keep {@code sedge spectrum}, which lists {@code checkpoints/} without descending
 * and reads groups by glob, from ever seeing a tensor that is not a parameter. The parameter file is
 * written last: it is the commit mark of a checkpoint. Stateless.
 */
final class CheckpointFiles {

    /** The {@code format} metadata value of the files a trained run writes. */
    static final String FORMAT = "sedge-checkpoint";
    static final String FORMAT_VERSION = "2"; // 1 named the key formatVersion; nothing reads it back
    static final String OPTIMIZER_PREFIX = "optimizer/";
    static final String DECAY_PREFIX = "decay/";

    private static final SafetensorsFormat SAFETENSORS = new SafetensorsFormat();

    private CheckpointFiles() {
    }

    static Path parameters(RunLayout layout, long step) {
        return layout.checkpoint(step);
    }

    static Path state(RunLayout layout, long step) {
        return layout.checkpoints().resolve("state").resolve(layout.checkpoint(step).getFileName());
    }

    static Path monitor(RunLayout layout, long step) {
        return layout.checkpoints().resolve("monitor").resolve(layout.checkpoint(step).getFileName());
    }

    /** Metadata every file carries: format, version first, then step and {@code extra}. */
    static Map<String, String> metadata(long step, Map<String, String> extra) {
        Map<String, String> m = new TreeMap<>(extra);
        m.put("format", FORMAT);
        m.put(VersionedJson.VERSION_FIELD, FORMAT_VERSION);
        m.put("step", Long.toString(step));
        return m;
    }

    /** Writes {@code tensors} to {@code file} atomically, creating its folder. */
    static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        CheckpointWriter writer = SAFETENSORS.writer().orElseThrow();
        writer.write(file, tensors, metadata);
    }

    /** Every tensor of {@code file} (values included), in file order, and its metadata. */
    static Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("checkpoint file " + file + " does not exist; the run directory is"
                    + " incomplete (was a file deleted?)");
        }
        try (Checkpoint checkpoint = SAFETENSORS.open(file)) {
            return new Contents(checkpoint.readAll(), checkpoint.metadata());
        }
    }

    /** A file's tensors and metadata. */
    record Contents(List<Tensor> tensors, Map<String, String> metadata) {
        Contents {
            tensors = List.copyOf(tensors);
            metadata = Map.copyOf(metadata);
        }

        /** The tensors whose names start with {@code prefix}, the prefix removed. */
        List<Tensor> withPrefix(String prefix) {
            return tensors.stream().filter(t -> t.info().name().startsWith(prefix))
                    .map(t -> renamed(t, t.info().name().substring(prefix.length()))).toList();
        }
    }

    /** {@code t} under another name (values copied). */
    static Tensor renamed(Tensor t, String name) {
        TensorInfo i = t.info();
        return i.dtype() == dev.sedge.api.checkpoint.DType.F64 ? Tensor.ofDoubles(name, i.shape(), t.doubles())
                : Tensor.ofFloats(name, i.dtype(), i.shape(), t.floats());
    }


    /** The latest step with both a parameter file and a state file: where a run can resume. */
    static OptionalLong latestResumable(RunLayout layout) {
        List<Long> steps = layout.checkpointSteps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (Files.isRegularFile(state(layout, steps.get(i)))) {
                return OptionalLong.of(steps.get(i));
            }
        }
        return OptionalLong.empty();
    }
}
