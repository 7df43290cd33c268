package dev.sedge.formats.onnx;

import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.formats.store.MappedFiles;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code onnx} checkpoint format: the initializers of an ONNX model ({@code .onnx}) as
 * tensors, named as in the graph, and the model's {@code metadata_props} as metadata. Export from
 * PyTorch with {@code do_constant_folding=False} so that initializer names equal state-dict keys.
 * FLOAT, DOUBLE, FLOAT16 and BFLOAT16 initializers are read; integer and bool ones listed only.
 * Models with external data or sparse initializers are refused with advice. See
 * {@link OnnxInitializers}.
 *
 * <p>Recognised by content: the file parses as protobuf fields starting with {@code ir_version}
 * and reaching {@code graph}. Stateless and thread-safe.
 */
public final class OnnxFormat implements CheckpointFormat {

    /** The format's name, {@value}. */
    public static final String NAME = "onnx";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "ONNX models (.onnx): initializers as tensors (FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8*) and metadata_props as"
                    + " metadata, from a protobuf reader; no external data; read only");

    /** For {@link java.util.ServiceLoader}; cheap. */
    public OnnxFormat() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Maps the file and walks its top-level fields until {@code graph}: a few reads. Never throws. */
    @Override
    public List<String> extensions() {
        return List.of(".onnx");
    }

    @Override
    public boolean recognises(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                return OnnxInitializers.looksLikeModel(MappedFiles.map(file, arena));
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Checkpoint open(Path file) {
        return MappedFiles.open(file, (contents, arena) -> OnnxInitializers.read(file, contents, arena));
    }
}
