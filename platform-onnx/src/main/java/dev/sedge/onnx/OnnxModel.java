package dev.sedge.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.Activations;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX graph as a {@link ModelFunction}: the parameter values of a call override the graph's
 * initializers of the same names in a session made for them (kept while the next call passes the same
 * list, so the many calls an analysis makes at one set of values share it), the inputs are fed to one
 * graph input as its {@link InputLayout} says, and each float32 output of the graph is an output, read under its name in
 * lower-kebab-case, flattened to one row per input. ONNX Runtime runs on {@link #THREADS} intra-op threads
 * with deterministic compute, so the same call gives the same floats.
 *
 * <p>Owns its session and the tensors that back the session's initializers; {@link #close()} frees them.
 * Confined to one thread.
 */
final class OnnxModel implements ModelFunction {

    /** ONNX Runtime's intra-op threads: the system property {@code sedge.onnx.threads}, else one per core. */
    static final int THREADS = Integer.getInteger("sedge.onnx.threads", Runtime.getRuntime().availableProcessors());

    /** Rows per run when the graph's batch dimension is free: bounds the engine's activations. */
    private static final int CHUNK = 4096;

    private final Path file;
    private final OrtEnvironment environment;
    private final byte[] graph;
    private final List<TensorInfo> parameters;
    private final TaskShape shape;
    private final InputLayout input;
    private final Map<String, String> outputs;
    private final List<String> outputNames;
    private final int chunk;
    private List<Tensor> sessionValues;
    private OrtSession session;
    private final List<OnnxTensor> initializers = new ArrayList<>();

    /**
     * @param input   how the inputs are fed
     * @param outputs lower-kebab-case name → graph output, the default first
     */
    OnnxModel(Path file, OrtEnvironment environment, byte[] graph, List<TensorInfo> parameters, TaskShape shape,
              InputLayout input, Map<String, String> outputs) {
        this.file = file;
        this.environment = environment;
        this.graph = graph;
        this.parameters = List.copyOf(parameters);
        this.shape = shape;
        this.input = input;
        this.outputs = Map.copyOf(outputs);
        this.outputNames = List.copyOf(outputs.keySet());
        this.chunk = input.fixedBatch() > 0 ? input.fixedBatch() : CHUNK;
    }

    /**
     * Session options: {@link #THREADS} intra-op threads, one inter-op thread, deterministic compute, and no
     * graph optimisation. ONNX Runtime folds constants (a {@code Transpose} of a weight, say) before it applies
     * the initializers a session is given: with its optimisations on, the logits of a checkpoint came out of
     * a mix of its own weights and the exported ones (measured: 1.19 against PyTorch's 1.26 at the fixture's
     * step 0; docs/import.md).
     */
    static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(THREADS);
        options.setInterOpNumThreads(1);
        options.setDeterministicCompute(true);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        return options;
    }

    @Override
    public TaskShape shape() {
        return shape;
    }

    @Override
    public List<TensorInfo> parameters() {
        return parameters;
    }

    @Override
    public List<String> outputs() {
        return outputNames;
    }

    @Override
    public Activations apply(List<Tensor> values, int[] tokens, String output) {
        String graphOutput = outputs.get(output);
        if (graphOutput == null) {
            throw new ConfigException("the model " + file.getFileName() + " has no output '" + output + "'; its"
                    + " outputs are " + outputNames);
        }
        int length = shape.sequenceLength();
        if (tokens.length == 0 || tokens.length % length != 0) {
            throw new IllegalArgumentException("expected a whole number of inputs of " + length + " tokens, found "
                    + tokens.length + " tokens");
        }
        for (int token : tokens) {
            if (token < 0 || token >= shape.vocabularySize()) {
                throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, "
                        + shape.vocabularySize() + ")");
            }
        }
        OrtSession running = session(values);
        int rows = tokens.length / length;
        float[] out = null;
        int width = 0;
        try {
            for (int from = 0; from < rows; from += chunk) {
                int batch = fixedBatch() ? chunk : Math.min(chunk, rows - from);
                try (OnnxTensor in = input.tensor(environment, shape, tokens, from, Math.min(batch, rows - from), batch);
                     OrtSession.Result result = running.run(Map.of(input.name(), in), Set.of(graphOutput))) {
                    OnnxValue value = result.get(graphOutput).orElseThrow();
                    FloatBuffer floats = ((OnnxTensor) value).getFloatBuffer();
                    if (floats.remaining() == 0 || floats.remaining() % batch != 0) {
                        throw new DataFormatException("output '" + graphOutput + "' of the model " + file + " has "
                                + floats.remaining() + " values for " + batch + " inputs: not one row per input. Export"
                                + " outputs whose first dimension is the batch (docs/import.md)");
                    }
                    int rowWidth = floats.remaining() / batch;
                    if (out == null) {
                        width = rowWidth;
                        out = new float[Math.multiplyExact(rows, width)];
                    }
                    int taken = Math.min(batch, rows - from);
                    floats.get(0, out, from * width, taken * width);
                }
            }
        } catch (OrtException e) {
            throw new DataFormatException("ONNX Runtime failed running the model " + file + " to its output '"
                    + graphOutput + "': " + e.getMessage());
        }
        return new Activations(rows, width, out);
    }

    private boolean fixedBatch() {
        return chunk != CHUNK;
    }

    /** The session whose initializers are {@code values}: the current one if the same list was passed last. */
    private OrtSession session(List<Tensor> values) {
        if (session != null && values == sessionValues) {
            return session;
        }
        closeSession();
        Map<String, Tensor> byName = new HashMap<>();
        values.forEach(t -> byName.putIfAbsent(t.info().name(), t));
        try (OrtSession.SessionOptions options = options()) {
            for (TensorInfo parameter : parameters) {
                Tensor value = byName.get(parameter.name());
                if (value == null || !value.info().shape().equals(parameter.shape())) {
                    throw new DataFormatException("parameter '" + parameter.name() + "' of shape " + parameter.shape()
                            + " is " + (value == null ? "missing" : "given with shape " + value.info().shape())
                            + " (model " + file.getFileName() + ")");
                }
                long[] dims = parameter.shape().stream().mapToLong(Long::longValue).toArray();
                OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(value.floats()), dims);
                initializers.add(tensor);
                options.addInitializer(parameter.name(), tensor);
            }
            session = environment.createSession(graph, options);
            sessionValues = values;
            return session;
        } catch (OrtException e) {
            closeSession();
            throw new DataFormatException("ONNX Runtime cannot run the model " + file + " at these parameter values: "
                    + e.getMessage());
        }
    }

    private void closeSession() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed closing a session of " + file, e);
        } finally {
            session = null;
            sessionValues = null;
            initializers.forEach(OnnxTensor::close);
            initializers.clear();
        }
    }

    @Override
    public void close() {
        closeSession();
    }
}
