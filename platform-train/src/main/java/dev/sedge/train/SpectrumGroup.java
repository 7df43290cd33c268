package dev.sedge.train;

import dev.sedge.api.ConfigException;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.model.NameGlob;
import dev.sedge.api.model.ParameterGroup;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The parameters the live spectrum is taken over: {@code spectrum.group} resolved against the
 * model. Their values, flattened row-major and concatenated in parameter (= checkpoint) order, form
 * the snapshot θ of length {@link #dimension()}, the same vector {@code sedge spectrum} reads from
 * the checkpoints with the same glob. Immutable.
 *
 * @param name    the group's name ({@code layer1}), or the glob itself when the setting was one
 * @param glob    the tensor-name pattern the members match
 * @param members the matching parameters, in parameter order; never empty
 */
public record SpectrumGroup(String name, String glob, List<TensorInfo> members) {

    public SpectrumGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(glob, "glob");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a spectrum group has at least one parameter");
        }
    }

    /** p, the number of values in one snapshot. */
    public int dimension() {
        long p = members.stream().mapToLong(TensorInfo::elementCount).sum();
        return Math.toIntExact(p);
    }

    /** The member names, in order. */
    public List<String> names() {
        return members.stream().map(TensorInfo::name).toList();
    }

    /**
     * Resolves the {@code spectrum.group} setting: blank means the architecture's first group; a
     * group name of the model means that group's glob; anything else is a tensor-name glob.
     *
     * @param setting      the value of {@code spectrum.group}
     * @param architecture the architecture's name, for messages
     * @param groups       the model's groups, the default first; not modified
     * @param parameters   every parameter, in order; not modified
     * @throws ConfigException if nothing matches, listing the groups and the parameter names
     */
    public static SpectrumGroup resolve(String setting, String architecture, List<ParameterGroup> groups,
                                        List<TensorInfo> parameters) {
        String wanted = setting.strip();
        String name;
        String glob;
        if (wanted.isEmpty()) {
            if (groups.isEmpty()) {
                throw new ConfigException("spectrum.group is empty and architecture '" + architecture
                        + "' declares no parameter groups; set spectrum.group to a glob over its parameters: "
                        + names(parameters));
            }
            name = groups.getFirst().name();
            glob = groups.getFirst().glob();
        } else {
            ParameterGroup group = groups.stream().filter(g -> g.name().equals(wanted)).findFirst().orElse(null);
            name = wanted;
            glob = group != null ? group.glob() : wanted;
        }
        NameGlob pattern = new NameGlob(glob);
        List<TensorInfo> members = parameters.stream().filter(t -> pattern.matches(t.name())).toList();
        if (members.isEmpty()) {
            String known = groups.stream().map(g -> g.name() + " (" + g.glob() + ")").collect(Collectors.joining(", "));
            throw new ConfigException("spectrum.group '" + wanted + "' matches no parameter of architecture '"
                    + architecture + "'. Its groups: " + (known.isEmpty() ? "none" : known) + "; its parameters: "
                    + names(parameters) + ". Set spectrum.group to one of the groups or to a glob such as '"
                    + (parameters.isEmpty() ? "*" : parameters.getFirst().name()) + "'");
        }
        long p = members.stream().mapToLong(TensorInfo::elementCount).sum();
        if (p > Integer.MAX_VALUE - 16) {
            throw new ConfigException("spectrum.group '" + name + "' holds " + p + " values, more than one snapshot"
                    + " vector can; choose a smaller group");
        }
        return new SpectrumGroup(name, glob, members);
    }

    private static String names(List<TensorInfo> parameters) {
        return parameters.stream().map(TensorInfo::name).collect(Collectors.joining(", "));
    }
}
