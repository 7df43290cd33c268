package dev.sedge.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.model.TaskShape;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How the task's inputs (S tokens each, from a vocabulary of V) are fed to the graph's input, read off that
 * input's type and shape (docs/import.md, "The input"):
 *
 * <ul>
 *   <li>an int64 or int32 input {@code [batch, S]}: the tokens;
 *   <li>a float input {@code [batch, S·V]}: the one-hot vectors of the S tokens, concatenated (the usual MLP
 *       on (a, b));
 *   <li>a float input {@code [batch, S, V]}: one one-hot vector per position.
 * </ul>
 *
 * The batch dimension may be free or fixed ({@code fixedBatch} &gt; 0); a fixed batch is padded with token 0.
 *
 * @param name       the graph input
 * @param type       INT64, INT32 or FLOAT
 * @param rowDims    the dimensions after the batch; unmodifiable
 * @param fixedBatch the graph's batch dimension when it is fixed, else 0
 */
record InputLayout(String name, OnnxJavaType type, List<Long> rowDims, int fixedBatch) {

    InputLayout {
        rowDims = List.copyOf(rowDims);
    }

    /**
     * The layout of graph input {@code name} for inputs of {@code shape}.
     *
     * @throws DataFormatException if the input is none of the layouts above, saying which it is and what is read
     */
    static InputLayout of(Path file, String name, NodeInfo node, TaskShape shape) {
        int s = shape.sequenceLength();
        long v = shape.vocabularySize();
        String expected = "; sedge feeds the task's inputs (" + s + " tokens of " + v + ") as [batch, " + s
                + "] int64 or int32 tokens, or as float one-hot vectors [batch, " + s * v + "] or [batch, " + s + ", "
                + v + "] (choose the input with --input; docs/import.md, \"The input\")";
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new DataFormatException("input '" + name + "' of the model " + file + " is " + node.getInfo() + expected);
        }
        long[] dims = info.getShape();
        long[] rows = dims.length == 0 ? dims : Arrays.copyOfRange(dims, 1, dims.length);
        boolean fits = switch (info.type) {
            case INT64, INT32 -> rows.length == 1 && (rows[0] <= 0 || rows[0] == s);
            case FLOAT -> Arrays.equals(rows, new long[] {s * v}) || Arrays.equals(rows, new long[] {s, v});
            default -> false;
        };
        if (!fits) {
            throw new DataFormatException("input '" + name + "' of the model " + file + " is " + info.type + " "
                    + Arrays.toString(dims) + expected);
        }
        List<Long> rowDims = info.type == OnnxJavaType.FLOAT ? Arrays.stream(rows).boxed().toList() : List.of((long) s);
        return new InputLayout(name, info.type, rowDims, dims[0] > 0 ? (int) dims[0] : 0);
    }

    /**
     * Rows [from, from + taken) of {@code tokens} ({@code shape.sequenceLength()} a row) as this input's tensor of
     * {@code batch} rows, padded with token 0.
     */
    OnnxTensor tensor(OrtEnvironment environment, TaskShape shape, int[] tokens, int from, int taken, int batch)
            throws OrtException {
        int length = shape.sequenceLength();
        long[] dims = new long[rowDims.size() + 1];
        dims[0] = batch;
        for (int k = 0; k < rowDims.size(); k++) {
            dims[k + 1] = rowDims.get(k);
        }
        int count = Math.multiplyExact(batch, length);
        switch (type) {
            case INT64 -> {
                long[] values = new long[count];
                for (int i = 0; i < taken * length; i++) {
                    values[i] = tokens[from * length + i];
                }
                return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), dims);
            }
            case INT32 -> {
                int[] values = new int[count];
                System.arraycopy(tokens, from * length, values, 0, taken * length);
                return OnnxTensor.createTensor(environment, IntBuffer.wrap(values), dims);
            }
            default -> {
                int vocabulary = shape.vocabularySize();
                float[] values = new float[Math.multiplyExact(count, vocabulary)];
                for (int i = 0; i < count; i++) {
                    int token = i < taken * length ? tokens[from * length + i] : 0;
                    values[i * vocabulary + token] = 1f;
                }
                return OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), dims);
            }
        }
    }
}
