/**
 * An imported run's model: an ONNX graph run by ONNX Runtime as a neutral
 * {@link dev.sedge.api.model.ModelFunction} (docs/import.md), found by core through
 * {@link dev.sedge.core.model.GraphModelFactory}.
 */
module dev.sedge.onnx {
    requires dev.sedge.core;
    requires com.microsoft.onnxruntime;

    provides dev.sedge.core.model.GraphModelFactory with dev.sedge.onnx.OnnxModels;
}
