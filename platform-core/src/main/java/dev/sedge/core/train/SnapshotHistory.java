package dev.sedge.core.train;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The last {@code capacity} = W + stride group snapshots the live monitor took, enough to rebuild its
 * spectral engine exactly on resume: replaying the right suffix of them through a fresh differencer
 * and engine leaves both in the state they had (see {@link #replay}). Holds copies of the snapshots,
 * {@code capacity × p} floats. Confined to the training thread.
 *
 * <p>File ({@code checkpoints/monitor/step-….safetensors}): tensors {@code snapshot/0} … oldest
 * first, F32 of shape [p]; metadata {@code snapshots} (how many were taken in the whole run),
 * {@code steps} and {@code rates} (comma-separated, per held snapshot; rates in
 * {@link Double#toString} form so they read back exactly).
 */
final class SnapshotHistory {

    /** One held snapshot. */
    record Held(long step, float[] theta, double rate) {
    }

    private final int capacity;
    private final List<Held> held = new ArrayList<>();
    private long taken;

    SnapshotHistory(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Keeps a copy of {@code theta}, dropping the oldest held snapshot if full (whose array then holds
     * the copy: a full history allocates nothing).
     *
     * @param theta copied, not modified
     */
    void add(long step, float[] theta, double rate) {
        float[] copy = held.size() == capacity ? held.removeFirst().theta() : new float[theta.length];
        System.arraycopy(theta, 0, copy, 0, theta.length);
        held.add(new Held(step, copy, rate));
        taken++;
    }

    /**
     * The snapshots to feed a fresh differencer and engine so that both end in the state the live ones
     * are in now. With n = taken − 1 updates so far: all of them if every snapshot is still held;
     * otherwise the last m + 1 snapshots, m = W + ((n − W) mod stride), which lie in [W, W + stride − 1]:
     * the replay then emits windows at the same updates as the live run did (n − m is a multiple of the
     * stride), its last emitted window is the live engine's latest, and the updates it holds reach back
     * to that window's first, which is all the engine ever reads again.
     */
    List<Held> replay(int window, int stride) {
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
            SnapshotHistory history = new SnapshotHistory(capacity);
            for (int k = 0; k < tensors.size(); k++) {
                Tensor t = tensors.get(k);
                if (!t.info().name().equals("snapshot/" + k) || t.info().elementCount() != dimension) {
                    throw new DataFormatException("monitor state " + file + ": tensor " + t.info() + " is not"
                            + " snapshot/" + k + " of " + dimension + " values");
                }
                history.held.add(new Held(steps[k], t.floats(), rates[k]));
            }
            history.taken = taken;
            return history;
        } catch (NullPointerException | NumberFormatException e) {
            throw new DataFormatException("monitor state " + file + " has bad metadata " + meta + ": " + e);
        }
    }
}
