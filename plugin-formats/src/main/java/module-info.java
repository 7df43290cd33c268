/**
 * Built-in sedge checkpoint formats: {@code npz} (numpy .npz/.npy), {@code pytorch} (torch.save
 * archives, through a restricted unpickler) and {@code onnx} (ONNX initializers). Exports
 * nothing; provides {@link dev.sedge.api.checkpoint.CheckpointFormat}s.
 */
module dev.sedge.formats {
    requires dev.sedge.api;

    provides dev.sedge.api.checkpoint.CheckpointFormat with
            dev.sedge.formats.npy.NpzFormat,
            dev.sedge.formats.pytorch.PytorchFormat,
            dev.sedge.formats.onnx.OnnxFormat;
}
