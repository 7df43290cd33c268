/**
 * The {@code onnx} format: the initializers (weights) of an ONNX model, read with a small
 * protobuf wire-format reader; no ONNX Runtime needed.
 */
package dev.sedge.formats.onnx;
