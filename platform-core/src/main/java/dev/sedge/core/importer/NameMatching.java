package dev.sedge.core.importer;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which checkpoint tensor gives the value of which initializer of a model graph (docs/import.md, "Names
 * that differ"). An exporter often names a weight with a wrapper prefix the state dict lacks, or the
 * other way round ({@code net.blocks.0.attn.q.weight} against {@code blocks.0.attn.q.weight}): an
 * initializer takes the checkpoint tensor of the same shape whose name equals its own, or ends with
 * {@code .} and its own, or is a dotted ending of its own, when there is exactly one; an explicit map
 * ({@code --map}) overrides that for the initializers it names. Initializers no tensor matches keep the
 * graph's value (constants, buffers); tensors no initializer takes are not imported.
 *
 * @param matched        graph name → checkpoint name, in the checkpoint's order
 * @param graphOnly      initializers that keep the graph's value
 * @param checkpointOnly checkpoint tensors no initializer takes
 */
public record NameMatching(Map<String, String> matched, List<String> graphOnly, List<String> checkpointOnly) {

    public NameMatching {
        matched = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(matched));
        graphOnly = List.copyOf(graphOnly);
        checkpointOnly = List.copyOf(checkpointOnly);
    }

    /**
     * @param graph      the graph's floating-point initializers
     * @param checkpoint the checkpoint's tensors ({@link ModelPart#tensors()}), in its order
     * @param explicit   graph name → checkpoint name, from {@code --map}; may be empty
     * @param where      for messages: the files compared
     * @throws DataFormatException for an ambiguous match (naming every candidate), a mapped name that either
     *                             side lacks or whose shapes differ, a tensor two initializers claim, or no match
     *                             at all
     */
    static NameMatching of(List<TensorInfo> graph, List<TensorInfo> checkpoint, Map<String, String> explicit,
                           String where) {
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        checkpoint.forEach(t -> byName.put(t.name(), t));
        Set<String> graphNames = graph.stream().map(TensorInfo::name).collect(Collectors.toSet());
        for (String name : explicit.keySet()) {
            if (!graphNames.contains(name)) {
                throw new DataFormatException("--map names '" + name + "', which is not a floating-point initializer"
                        + " of the graph (" + where + ")");
            }
        }
        Map<String, String> claimedBy = new HashMap<>(); // checkpoint name -> the initializer that takes it
        List<String> graphOnly = new ArrayList<>();
        for (TensorInfo g : graph) {
            Optional<TensorInfo> match = explicit.containsKey(g.name())
                    ? Optional.of(mapped(g, byName.get(explicit.get(g.name())), explicit.get(g.name()), where))
                    : inferred(g, checkpoint, where);
            match.ifPresentOrElse(c -> {
                String other = claimedBy.putIfAbsent(c.name(), g.name());
                if (other != null) {
                    throw new DataFormatException("checkpoint tensor '" + c.name() + "' matches two initializers of"
                            + " the graph, '" + other + "' and '" + g.name() + "' (" + where + "); say which is which"
                            + " with --map (docs/import.md)");
                }
            }, () -> graphOnly.add(g.name()));
        }
        if (claimedBy.isEmpty()) {
            throw new DataFormatException("no initializer of the graph matches a checkpoint tensor (" + where
                    + "): the graph has " + names(graph) + ", the checkpoint " + names(checkpoint)
                    + ". Export with do_constant_folding=False so initializers keep the state dict's names, or map"
                    + " them with --map (docs/import.md)");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        List<String> checkpointOnly = new ArrayList<>();
        for (TensorInfo c : checkpoint) {
            String g = claimedBy.get(c.name());
            if (g == null) {
                checkpointOnly.add(c.name());
            } else {
                ordered.put(g, c.name());
            }
        }
        return new NameMatching(ordered, graphOnly, checkpointOnly);
    }

    private static TensorInfo mapped(TensorInfo g, TensorInfo c, String name, String where) {
        if (c == null) {
            throw new DataFormatException("--map gives '" + g.name() + "' the checkpoint tensor '" + name
                    + "', which the checkpoint does not hold (" + where + ")");
        }
        if (!c.shape().equals(g.shape())) {
            throw new DataFormatException("--map gives '" + g.name() + "' (shape " + g.shape() + ") the checkpoint"
                    + " tensor '" + name + "' of shape " + c.shape() + " (" + where + ")");
        }
        return c;
    }

    private static Optional<TensorInfo> inferred(TensorInfo g, List<TensorInfo> checkpoint, String where) {
        List<TensorInfo> related = checkpoint.stream().filter(c -> related(g.name(), c.name())).toList();
        List<TensorInfo> fitting = related.stream().filter(c -> c.shape().equals(g.shape())).toList();
        if (fitting.size() > 1) {
            List<TensorInfo> exact = fitting.stream().filter(c -> c.name().equals(g.name())).toList();
            if (exact.size() == 1) {
                return Optional.of(exact.getFirst());
            }
            throw new DataFormatException("initializer '" + g.name() + "' of the graph could be any of "
                    + names(fitting) + " (" + where + "); say which with --map (docs/import.md)");
        }
        if (fitting.isEmpty() && !related.isEmpty()) {
            throw new DataFormatException("initializer '" + g.name() + "' of the graph has shape " + g.shape()
                    + " but its checkpoint tensor '" + related.getFirst().name() + "' has " + related.getFirst().shape()
                    + " (" + where + "). An exporter that folds constants transposes linear weights: export with"
                    + " do_constant_folding=False (docs/import.md)");
        }
        return fitting.stream().findFirst();
    }

    /** Equal, or one is the other with a dotted prefix ({@code net.} + name). */
    static boolean related(String graph, String checkpoint) {
        return graph.equals(checkpoint) || graph.endsWith("." + checkpoint) || checkpoint.endsWith("." + graph);
    }

    private static String names(List<TensorInfo> tensors) {
        String all = tensors.stream().limit(12).map(TensorInfo::name).collect(Collectors.joining(", "));
        return "[" + all + (tensors.size() > 12 ? ", … " + tensors.size() + " in all" : "") + "]";
    }
}
