package dev.sedge.core.importer;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model's tensors in a checkpoint that may wrap them: {@code torch.save({"model": state_dict,
 * "optimizer": …, "step": …})} is read with names {@code model.layer1.weight}, {@code optimizer.state.0.exp_avg}
 * … (docs/import.md, "What a checkpoint may hold"). With a key, the tensors under {@code KEY.}; without,
 * the tensors under the one wrapper key present among {@link #WRAPPERS}, else every tensor. Only
 * floating-point tensors are kept (integer buffers such as step counters are not parameters).
 *
 * @param prefix   what is stripped from each kept name ({@code model.}), or empty
 * @param tensors  the kept tensors, under their names without the prefix, in the file's order
 * @param excluded how many tensors of the file were not kept
 */
record ModelPart(String prefix, List<TensorInfo> tensors, int excluded) {

    /** The top-level keys that wrap a state dict in the checkpoints researchers save. */
    static final List<String> WRAPPERS = List.of("model", "state_dict", "model_state_dict");

    ModelPart {
        tensors = List.copyOf(tensors);
    }

    /**
     * @param all every tensor of the first checkpoint of the series, in its order
     * @param key the key asked for ({@code --key}), or empty to choose as described above
     * @throws DataFormatException naming {@code file} if no floating-point tensor is under the key (the message
     *                             lists the top-level keys there are), or the file holds none at all
     */
    static ModelPart of(List<TensorInfo> all, Optional<String> key, Path file) {
        Set<String> tops = new TreeSet<>();
        all.forEach(t -> tops.add(top(t.name())));
        String prefix;
        if (key.isPresent()) {
            prefix = key.get().endsWith(".") ? key.get() : key.get() + ".";
        } else {
            List<String> wrappers = WRAPPERS.stream().filter(tops::contains).toList();
            prefix = wrappers.size() == 1 ? wrappers.getFirst() + "." : "";
        }
        List<TensorInfo> kept = all.stream()
                .filter(t -> t.dtype().isFloating() && t.name().startsWith(prefix) && t.name().length() > prefix.length())
                .map(t -> new TensorInfo(t.name().substring(prefix.length()), t.dtype(), t.shape()))
                .toList();
        if (kept.isEmpty()) {
            throw new DataFormatException(file + " holds no floating-point tensor" + (prefix.isEmpty() ? ""
                    : " under '" + prefix.substring(0, prefix.length() - 1) + "'") + "; its top-level keys are "
                    + tops + (key.isPresent() ? ": choose one with --key" : ""));
        }
        return new ModelPart(prefix, kept, all.size() - kept.size());
    }

    /** The name in the file of a kept tensor. */
    String stored(String name) {
        return prefix + name;
    }

    private static String top(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
