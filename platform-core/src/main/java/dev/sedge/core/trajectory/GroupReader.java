package dev.sedge.core.trajectory;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.StoredFloats;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads one parameter group, flattened, from each checkpoint of a series: the floating-point
 * tensors whose names match a {@link NameGlob}, in the order the first checkpoint stores them,
 * concatenated row-major into one vector θ of length {@link #dimension()}. Every later
 * checkpoint must hold the same tensors with the same shapes. Thread-confined.
 */
public final class GroupReader {

    private final NameGlob group;
    private final List<TensorInfo> tensors;
    private final int dimension;

    private GroupReader(NameGlob group, List<TensorInfo> tensors, int dimension) {
        this.group = group;
        this.tensors = tensors;
        this.dimension = dimension;
    }

    /**
     * The tensors {@code group} names in {@code source}: in a run directory, a parameter group of its
     * {@code run.json} layout ({@code layer1}) is the list of that group's tensors; anything else, or in
     * any other folder, is a tensor-name pattern ({@code blocks.?.attn.*}).
     */
    public static NameGlob group(Path source, String group) {
        if (RunLayout.isRun(source)) {
            List<LayoutEntry> layout = ManifestFile.read(new RunLayout(source).manifest()).layout();
            String members = layout.stream().filter(e -> e.groups().contains(group)).map(LayoutEntry::name)
                    .collect(Collectors.joining(","));
            if (!members.isEmpty()) {
                return new NameGlob(members);
            }
        }
        return new NameGlob(group);
    }

    /**
     * Chooses the group's tensors from the first checkpoint of a series.
     *
     * @param first an open checkpoint; not closed here
     * @throws DataFormatException if no floating-point tensor matches, or the group has more than
     *         2³¹ − 16 values
     */
    public static GroupReader of(Checkpoint first, NameGlob group) {
        List<TensorInfo> selected = first.tensors().stream()
                .filter(t -> t.dtype().isFloating() && group.matches(t.name()))
                .toList();
        if (selected.isEmpty()) {
            String names = first.tensors().stream().limit(20).map(TensorInfo::name).collect(Collectors.joining(", "));
            throw new DataFormatException("no floating-point tensor in " + first.file() + " matches the group '"
                    + group + "'; its tensors are: " + names + (first.tensors().size() > 20 ? ", …" : ""));
        }
        long total = selected.stream().mapToLong(TensorInfo::elementCount).sum();
        if (total > Integer.MAX_VALUE - 16) {
            throw new DataFormatException("the group '" + group + "' in " + first.file() + " has " + total
                    + " values, more than one vector holds; choose a smaller group with --group");
        }
        return new GroupReader(group, selected, (int) total);
    }

    /** The group's tensors, in concatenation order. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** p: the number of values in the group. */
    public int dimension() {
        return dimension;
    }

    /**
     * Reads the group from {@code checkpoint} into {@code theta}.
     *
     * @param theta modified: all {@link #dimension()} values overwritten
     * @throws DataFormatException naming the file and tensor if a tensor is missing or its shape
     *         or type differs from the first checkpoint's
     */
    public void read(Checkpoint checkpoint, float[] theta) {
        if (theta.length != dimension) {
            throw new IllegalArgumentException("theta has " + theta.length + " values, the group has " + dimension);
        }
        requireLayout(checkpoint);
        int offset = 0;
        for (TensorInfo expected : tensors) {
            checkpoint.read(expected.name(), theta, offset);
            offset += (int) expected.elementCount();
        }
    }

    /** Each tensor's element count, in concatenation order: how θ is cut into the pieces {@link #pieces} gives. */
    public List<Long> pieceLengths() {
        return tensors.stream().map(TensorInfo::elementCount).toList();
    }

    /**
     * Where the group's values lie in {@code checkpoint}'s file, one span per tensor, if the file holds every
     * one of them as float32 ready to use ({@link Checkpoint#floats}).
     *
     * @return empty if any tensor would need converting (read the group with {@link #read} then)
     * @throws DataFormatException as {@link #read} does
     */
    public Optional<List<StoredFloats>> pieces(Checkpoint checkpoint) {
        requireLayout(checkpoint);
        List<StoredFloats> pieces = new ArrayList<>(tensors.size());
        for (TensorInfo expected : tensors) {
            Optional<StoredFloats> piece = checkpoint.floats(expected.name());
            if (piece.isEmpty()) {
                return Optional.empty();
            }
            pieces.add(piece.get());
        }
        return Optional.of(List.copyOf(pieces));
    }

    /** Refuses a checkpoint without every tensor of the group, or with one of another shape or a non-floating type. */
    private void requireLayout(Checkpoint checkpoint) {
        Map<String, TensorInfo> present = checkpoint.tensors().stream()
                .collect(Collectors.toMap(TensorInfo::name, Function.identity(), (a, b) -> a));
        for (TensorInfo expected : tensors) {
            TensorInfo found = present.get(expected.name());
            if (found == null) {
                throw new DataFormatException("checkpoint " + checkpoint.file() + " has no tensor '"
                        + expected.name() + "', which the first checkpoint of the series has (group '" + group + "')");
            }
            if (!found.shape().equals(expected.shape()) || !found.dtype().isFloating()) {
                throw new DataFormatException("checkpoint " + checkpoint.file() + ": tensor '" + expected.name()
                        + "' is " + found.dtype() + " " + found.shape() + ", the first checkpoint of the series has "
                        + expected.dtype() + " " + expected.shape() + "; all checkpoints must share one layout");
            }
        }
    }
}
