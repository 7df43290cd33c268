package dev.sedge.train;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.spectral.SnapshotSpectralEngine;
import dev.sedge.spectral.SnapshotSpectralEngine.Kept;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The last W + stride group snapshots the live monitor's engine keeps
 * ({@link SnapshotSpectralEngine#kept}), written at each checkpoint: enough to rebuild the engine
 * exactly on resume, since replaying the right suffix of them into a fresh engine leaves it in the
 * state the live one had (see {@link #replay}). Confined to the training thread.
 *
 * <p>File ({@code checkpoints/monitor/step-….safetensors}): tensors {@code snapshot/0} … oldest
 * first, F32 of shape [p]; metadata {@code snapshots} (how many were taken in the whole run),
 * {@code steps} and {@code rates} (comma-separated, per held snapshot; rates in
 * {@link Double#toString} form so they read back exactly).
 *
 * @param taken how many snapshots the run took in all, at least {@code held.size()}
 * @param held  the last of them, oldest first (arrays not copied)
 */
record SnapshotHistory(long taken, List<Kept> held) {

    SnapshotHistory {
        held = List.copyOf(held);
    }

    /**
     * The snapshots to feed a fresh engine so that it ends in the state the live one is in now. With
     * n = taken − 1 updates so far: all of them if every snapshot is still held;
     * otherwise the last m + 1 snapshots, m = W + ((n − W) mod stride), which lie in [W, W + stride − 1]:
     * the replay then emits windows at the same updates as the live run did (n − m is a multiple of the
     * stride), its last emitted window is the live engine's latest, and the updates it holds reach back
     * to that window's first, which is all the engine ever reads again.
     */
    List<Kept> replay(int window, int stride) {
        if (taken <= held.size()) {
            return List.copyOf(held);
        }
        long n = taken - 1;
        int m = window + (int) Math.floorMod(n - window, (long) stride);
        return List.copyOf(held.subList(held.size() - (m + 1), held.size()));
    }

    void write(Path file, long step) {
        List<Tensor> tensors = new ArrayList<>();
        for (int k = 0; k < held.size(); k++) {
            float[] theta = held.get(k).theta();
            tensors.add(Tensor.ofFloats("snapshot/" + k, DType.F32, List.of((long) theta.length), theta));
        }
        CheckpointFiles.write(file, tensors, CheckpointFiles.metadata(step, Map.of(
                "snapshots", Long.toString(taken),
                "steps", held.stream().map(h -> Long.toString(h.step())).collect(Collectors.joining(",")),
                "rates", held.stream().map(h -> Double.toString(h.rate())).collect(Collectors.joining(",")))));
    }

    /**
     * Reads a history written by {@link #write}.
     *
     * @throws DataFormatException naming the file if it is missing or inconsistent
     */
    static SnapshotHistory read(Path file, int capacity, int dimension) {
        CheckpointFiles.Contents contents = CheckpointFiles.read(file);
        Map<String, String> meta = contents.metadata();
        try {
            long taken = Long.parseLong(meta.get("snapshots"));
            long[] steps = Arrays.stream(meta.get("steps").split(",")).mapToLong(Long::parseLong).toArray();
            double[] rates = Arrays.stream(meta.get("rates").split(",")).mapToDouble(Double::parseDouble).toArray();
            List<Tensor> tensors = contents.tensors();
            if (steps.length != tensors.size() || rates.length != tensors.size() || tensors.size() > capacity
                    || tensors.size() > taken) {
                throw new DataFormatException("monitor state " + file + " holds " + tensors.size() + " snapshots for "
                        + steps.length + " steps and " + rates.length + " rates (at most " + capacity + ")");
            }
            List<Kept> held = new ArrayList<>();
            for (int k = 0; k < tensors.size(); k++) {
                Tensor t = tensors.get(k);
                if (!t.info().name().equals("snapshot/" + k) || t.info().elementCount() != dimension) {
                    throw new DataFormatException("monitor state " + file + ": tensor " + t.info() + " is not"
                            + " snapshot/" + k + " of " + dimension + " values");
                }
                held.add(new Kept(steps[k], t.floats(), rates[k]));
            }
            return new SnapshotHistory(taken, held);
        } catch (NullPointerException | NumberFormatException e) {
            throw new DataFormatException("monitor state " + file + " has bad metadata " + meta + ": " + e);
        }
    }
}
