package dev.sedge.formats.pytorch;

import dev.sedge.api.DataFormatException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the tensors of an unpickled object tree, and collects its scalars as metadata.
 *
 * <p>The naming rule: a value's path is its dict keys and list/tuple indices from the root,
 * joined by {@code '.'} ({@code model.layer1.weight}, {@code optimizer.state.0.exp_avg},
 * {@code 0.layer1.weight} for a list of state dicts); a plain state dict therefore keeps its own
 * keys. A dict key is rendered as Python's {@code str()} of it. A tensor at the root is named
 * {@code arr_0}. Scalars (str, int, float, bool, None) become metadata under their path, rendered
 * as Python's {@code str()} ({@code epoch → 5}, {@code config.lr → 0.01}). Bytes, storages and
 * globals held as values are skipped. Two values on one path (possible when keys contain dots)
 * are refused, as are cycles and nesting deeper than {@value #MAX_DEPTH}.
 *
 * @param tensors  by name, in the order they are met (depth first, in dict order)
 * @param metadata by path, in the order they are met
 */
record PickleTree(Map<String, Pickled.TensorRef> tensors, Map<String, String> metadata) {

    /** The name of a tensor saved at the root: numpy's name for a positional array. */
    static final String ROOT_NAME = "arr_0";

    static final int MAX_DEPTH = 256;

    PickleTree {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Flattens {@code root}.
     *
     * @param where for messages: the file
     * @throws DataFormatException naming {@code where} and the path for a name clash, a cycle or too deep nesting
     */
    static PickleTree of(String where, Object root) {
        Walk walk = new Walk(where);
        walk.visit(root, "", 0);
        return new PickleTree(walk.tensors, walk.metadata);
    }

    private static final class Walk {
        private final String where;
        private final Map<String, Pickled.TensorRef> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

        Walk(String where) {
            this.where = where;
        }

        void visit(Object value, String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw new DataFormatException(where + ": values nest deeper than " + MAX_DEPTH + " levels at '"
                        + abbreviate(path) + "'; sedge reads state dicts and their plain containers");
            }
            switch (value) {
                case Pickled.TensorRef tensor -> add(tensors, path.isEmpty() ? ROOT_NAME : path, tensor);
                case Map<?, ?> dict -> enter(dict, path, () -> dict.forEach((k, v) -> visit(v, join(path, PythonText.str(k)), depth + 1)));
                case List<?> list -> enter(list, path, () -> children(list, path, depth));
                case Pickled.Tuple tuple -> children(tuple.items(), path, depth);
                default -> {
                    if (PythonText.isScalar(value)) {
                        add(metadata, path.isEmpty() ? ROOT_NAME : path, PythonText.str(value));
                    }
                }
            }
        }

        private void children(List<?> items, String path, int depth) {
            for (int i = 0; i < items.size(); i++) {
                visit(items.get(i), join(path, Integer.toString(i)), depth + 1);
            }
        }

        private void enter(Object container, String path, Runnable body) {
            if (!onPath.add(container)) {
                throw new DataFormatException(where + ": the container at '" + abbreviate(path)
                        + "' contains itself; sedge reads trees of values, not cycles");
            }
            body.run();
            onPath.remove(container);
        }

        private <V> void add(Map<String, V> into, String path, V value) {
            if (tensors.containsKey(path) || metadata.containsKey(path)) {
                throw new DataFormatException(where + ": two values are named '" + path + "' (dict keys with dots"
                        + " collide with nested keys); rename the keys so that each dotted path is unique");
            }
            into.put(path, value);
        }

        private static String join(String path, String segment) {
            return path.isEmpty() ? segment : path + "." + segment;
        }

        private static String abbreviate(String path) {
            return path.length() > 200 ? path.substring(0, 200) + "…" : path;
        }
    }
}
