package dev.sedge.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import dev.sedge.core.model.ExternalData;
import dev.sedge.core.model.GraphModelFactory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX graphs run by ONNX Runtime (docs/import.md, "The model"): the graph is read once and checked (the
 * input that takes the task's inputs, its {@link InputLayout}, and the outputs it exposes), and each set of parameter values gets a session
 * whose initializers are overridden by them ({@link OnnxModel}).
 *
 * <p>Stateless and thread-safe; for {@link java.util.ServiceLoader}.
 */
public final class OnnxModels implements GraphModelFactory {

    /** For {@link java.util.ServiceLoader}; cheap. */
    public OnnxModels() {
    }

    @Override
    public ModelFunction open(Path file, List<dev.sedge.api.checkpoint.TensorInfo> parameters, TaskShape shape,
                              String input) {
        byte[] graph;
        try {
            graph = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException("cannot read the model " + file + ": " + e.getMessage());
        }
        // the bytes ONNX Runtime gets, checked: given bytes, it reads an external file from the working directory
        ExternalData.refuse(file, MemorySegment.ofArray(graph));
        OrtEnvironment environment = environment();
        try (OrtSession.SessionOptions options = OnnxModel.options();
             OrtSession probe = environment.createSession(graph, options)) {
            Map<String, NodeInfo> inputs = probe.getInputInfo();
            String chosen = input.isEmpty() ? inputs.keySet().iterator().next() : input;
            NodeInfo tokens = inputs.get(chosen);
            if (tokens == null) {
                throw new DataFormatException("the model " + file + " has no input '" + input + "'; its inputs are "
                        + inputs.keySet());
            }
            InputLayout layout = InputLayout.of(file, chosen, tokens, shape);
            Map<String, String> outputs = new LinkedHashMap<>(); // kebab-case name -> graph output
            for (String name : probe.getOutputNames()) {
                if (!(probe.getOutputInfo().get(name).getInfo() instanceof TensorInfo t)
                        || t.type != OnnxJavaType.FLOAT) {
                    continue; // not a float tensor: nothing an analysis reads
                }
                String kebab = kebab(name);
                if (outputs.putIfAbsent(kebab, name) != null) {
                    throw new DataFormatException("the model " + file + " has outputs '" + outputs.get(kebab)
                            + "' and '" + name + "', both read as '" + kebab + "'; rename one at export");
                }
            }
            if (outputs.isEmpty()) {
                throw new DataFormatException("the model " + file + " has no float32 output to read; export it with"
                        + " output_names=[\"logits\", ...] (docs/import.md)");
            }
            return new OnnxModel(file, environment, graph, parameters, shape, layout, outputs);
        } catch (OrtException e) {
            throw new DataFormatException("ONNX Runtime cannot load the model " + file + ": " + e.getMessage());
        }
    }

    /**
     * ONNX Runtime's environment, started on first use.
     *
     * @throws ConfigException if its native library cannot be loaded: the installation is incomplete
     */
    private static OrtEnvironment environment() {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (ExceptionInInitializerError | NoClassDefFoundError | UnsatisfiedLinkError | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("ONNX Runtime cannot start: " + cause.getMessage() + " (its libraries are looked"
                    + " for in " + System.getProperty("onnxruntime.native.path", "the onnxruntime jar")
                    + "). The installation is incomplete: unpack the sedge tarball again");
        }
    }

    /** A graph output's name in lower-kebab-case: lower case, every run of other characters one '-'. */
    static String kebab(String name) {
        String kebab = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (kebab.isEmpty() || !Character.isLetter(kebab.charAt(0))) {
            kebab = "output-" + kebab;
        }
        return kebab;
    }
}
