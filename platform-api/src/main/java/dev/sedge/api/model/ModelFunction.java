package dev.sedge.api.model;

import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.List;

/**
 * A model as a function: parameter values and a batch of inputs in, the activations at one named
 * output out. The neutral seam through which analyses read a model (the repulsion sign test, the
 * functional modes of docs/science.md, "Probe points and functional modes"), whatever engine runs it:
 * sedge rebuilds a run it trained at a checkpoint with DJL, an importer may run an ONNX model. The
 * caller never sees the engine's arrays.
 *
 * <p>Owns the engine's resources; {@link #close()} frees them. Confined to one thread.
 */
public interface ModelFunction extends AutoCloseable {

    /**
     * What the function reads: inputs of {@link TaskShape#sequenceLength()} tokens in [0, vocabularySize), for a
     * seq2seq task followed by the decoder inputs ({@link TaskShape#inputWidth()} ints in all).
     */
    TaskShape shape();

    /** Every parameter the function takes: names, dtypes and shapes, in a fixed order. */
    List<TensorInfo> parameters();

    /**
     * The outputs {@link #apply} can read, lower-kebab-case, unique, the default first: for a sedge
     * model its probe points; {@code logits}, where declared, is the output heads concatenated in head
     * order.
     *
     * @return an immutable list, the same on every call
     */
    List<String> outputs();

    /**
     * The activations at {@code output} for a batch of inputs, at the given parameter values.
     *
     * <p>Deterministic: the same values, inputs and output give the same floats, bit for bit, on the
     * same machine and thread settings; row i depends on input i alone. Nothing of a call is kept: the
     * next call reads only its own arguments.
     *
     * @param parameters a value for each of {@link #parameters()}, matched by name; tensors of other
     *                   names are ignored. Not modified.
     * @param tokens     {@code batch × inputWidth} ints, row-major, batch &ge; 1, as
     *                   {@link dev.sedge.api.task.TaskData#modelInputs} lays them out: each input's tokens, and
     *                   for a seq2seq task its decoder inputs under teacher forcing after them. Not modified.
     * @param output     one of {@link #outputs()}
     * @return {@code batch} rows; the width depends on the model and the output only
     * @throws dev.sedge.api.ConfigException     if {@code output} is not one of {@link #outputs()} (the
     *                                           message lists them)
     * @throws dev.sedge.api.DataFormatException if a parameter is missing or its shape differs
     * @throws IllegalArgumentException          if the tokens are empty, not a whole number of inputs, or
     *                                           outside the vocabulary (a decoder input outside the classes)
     */
    Activations apply(List<Tensor> parameters, int[] tokens, String output);

    /** Releases the engine's resources. */
    @Override
    void close();
}
