package dev.sedge.core.model;

import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.ModelFunction;
import dev.sedge.api.model.TaskShape;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a model stored as a graph file (an ONNX model exported by PyTorch) as a neutral
 * {@link ModelFunction}: how the analyses read an imported run (docs/import.md). The module
 * {@code dev.sedge.onnx} provides it over ONNX Runtime; core finds it with
 * {@link java.util.ServiceLoader}, so core itself never drives an engine.
 *
 * <p>Stateless and thread-safe; each function made is confined to one thread and closed by its caller.
 */
public interface GraphModelFactory {

    /**
     * The graph in {@code file} as a function of {@code parameters}.
     *
     * @param parameters the graph's initializers the function takes values for, by name (an imported run's
     *                   layout); every other initializer keeps the value stored in the graph
     * @param shape      the task's inputs: each a row of {@code sequenceLength} tokens in [0, vocabularySize)
     * @param input      the graph input that takes the tokens; empty for the graph's only (or first) input
     * @throws dev.sedge.api.DataFormatException if the file is not a graph the engine runs, has no such input, the
     *                                           input cannot take a row of tokens, or a parameter is not one of
     *                                           its initializers with that shape
     */
    ModelFunction open(Path file, List<TensorInfo> parameters, TaskShape shape, String input);
}
